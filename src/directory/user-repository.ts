import type { Kysely } from 'kysely';
import { getResourceType } from '../scim/schema/schema-registry.ts';
import type { DatabaseSchema, UserTable } from '../storage/database-schema.ts';
import type { SqlDialect } from '../storage/sql-dialect.ts';
import { chunks } from './chunks.ts';
import { queryResourceRows, type ResourceQuery } from './sql/query-resources.ts';
import { USER_SQL_MAPPING } from './sql/resource-sql-mapping.ts';
import { isStorableText } from './storable-text.ts';

/** A stored user: the SCIM document plus what the server owns. */
export interface UserRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly lastModified: string;
  readonly version: number;
  /** Canonical SCIM document without id, meta, groups and password. */
  readonly doc: Record<string, unknown>;
  readonly passwordHash: string | null;
}

type UserRow = Omit<UserTable, 'seq'> & { seq: number | string };

/** The folded, distinct e-mail addresses of a user: the rows of the `emails.value` index. */
function emailValues(record: UserRecord): string[] {
  const emails = Array.isArray(record.doc.emails) ? record.doc.emails : [];
  const values = new Set<string>();
  for (const email of emails) {
    const value = (email as { value?: unknown } | null)?.value;
    if (typeof value === 'string') values.add(value.toLowerCase());
  }
  return [...values];
}

/** SQL for users and their indexed side values (folded userName, displayName, e-mail addresses). */
export function createUserRepository(db: Kysely<DatabaseSchema>, dialect: SqlDialect) {
  const toRecord = (row: UserRow): UserRecord => ({
    id: row.id,
    createdAt: row.created_at,
    lastModified: row.last_modified,
    version: row.version,
    doc: dialect.decodeJson(row.doc) as Record<string, unknown>,
    passwordHash: row.password_hash,
  });

  const columnsOf = (record: UserRecord) => {
    const userName = String(record.doc.userName);
    const displayName = typeof record.doc.displayName === 'string' ? record.doc.displayName : null;
    const externalId = typeof record.doc.externalId === 'string' ? record.doc.externalId : null;
    return {
      user_name: userName,
      user_name_ci: userName.toLowerCase(),
      external_id: externalId,
      display_name_ci: displayName?.toLowerCase() ?? null,
      last_modified: record.lastModified,
      version: record.version,
      doc: dialect.encodeJson(record.doc),
      password_hash: record.passwordHash,
    };
  };

  const writeEmails = async (tenantId: string, record: UserRecord) => {
    const values = emailValues(record);
    if (values.length === 0) return;
    await db
      .insertInto('user_emails')
      .values(values.map((value) => ({ tenant_id: tenantId, user_id: record.id, value_ci: value })))
      .execute();
  };

  return {
    async insert(tenantId: string, record: UserRecord): Promise<void> {
      await db
        .insertInto('users')
        .values({ tenant_id: tenantId, id: record.id, created_at: record.createdAt, ...columnsOf(record) })
        .execute();
      await writeEmails(tenantId, record);
    },

    /**
     * Inserts many users in multi-row statements (imports, seeding): the caller runs it in a transaction
     * and keeps batches to a few hundred records.
     */
    async insertMany(tenantId: string, records: readonly UserRecord[]): Promise<void> {
      if (records.length === 0) return;
      await db
        .insertInto('users')
        .values(
          records.map((record) => ({
            tenant_id: tenantId,
            id: record.id,
            created_at: record.createdAt,
            ...columnsOf(record),
          })),
        )
        .execute();
      const emails = records.flatMap((record) =>
        emailValues(record).map((value) => ({ tenant_id: tenantId, user_id: record.id, value_ci: value })),
      );
      for (const part of chunks(emails, 1000)) await db.insertInto('user_emails').values(part).execute();
    },

    async findById(tenantId: string, id: string): Promise<UserRecord | undefined> {
      if (!isStorableText(id)) return undefined;
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    /** Replaces the stored user if it is still at `expectedVersion`; false when it moved on or vanished. */
    async update(tenantId: string, record: UserRecord, expectedVersion: number): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set(columnsOf(record))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', record.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await db
        .deleteFrom('user_emails')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', record.id)
        .execute();
      await writeEmails(tenantId, record);
      return true;
    },

    async delete(tenantId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('users')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async query(
      tenantId: string,
      baseUrl: string,
      query: ResourceQuery,
    ): Promise<{ total: number; records: UserRecord[] }> {
      const { total, rows } = await queryResourceRows<UserRow>(
        { db, dialect, tenantId, baseUrl },
        getResourceType('User'),
        USER_SQL_MAPPING,
        query,
      );
      return { total, records: rows.map(toRecord) };
    },

    /** Which of `ids` are users of the tenant. */
    async existingIds(tenantId: string, ids: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>();
      for (const part of chunks(ids.filter(isStorableText))) {
        const rows = await db
          .selectFrom('users')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', part)
          .execute();
        for (const row of rows) found.add(row.id);
      }
      return found;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
