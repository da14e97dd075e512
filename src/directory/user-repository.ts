import { type Kysely, sql } from 'kysely';
import { getResourceType } from '../scim/schema/schema-registry.ts';
import type { DatabaseSchema, UserTable } from '../storage/database-schema.ts';
import { preparedQuery } from '../storage/prepared-query.ts';
import type { SqlDialect } from '../storage/sql-dialect.ts';
import { chunks } from './chunks.ts';
import { createResourceRows } from './resource-rows.ts';
import { queryResourceRows, type ResourceQuery } from './sql/query-resources.ts';
import { USER_SQL_MAPPING } from './sql/resource-sql-mapping.ts';
import { decodeUserGroups, userGroupsSql } from './sql/user-groups-sql.ts';
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
  /** Direct groups, when they were read with the user (`withGroups`). */
  readonly groups?: readonly UserGroup[];
}

export interface UserGroup {
  readonly value: string;
  readonly display: string;
}

type UserRow = Omit<UserTable, 'seq'> & { seq: number | string; groups_json?: unknown };

/** The columns a write sets, all bound per call. */
type WrittenColumn =
  | 'user_name'
  | 'user_name_ci'
  | 'external_id'
  | 'display_name_ci'
  | 'last_modified'
  | 'version'
  | 'doc'
  | 'password_hash';

const writtenColumns = (p: (name: WrittenColumn) => string) => ({
  user_name: p('user_name'),
  user_name_ci: p('user_name_ci'),
  external_id: p('external_id'),
  display_name_ci: p('display_name_ci'),
  last_modified: p('last_modified'),
  version: p('version') as unknown as number,
  doc: p('doc'),
  password_hash: p('password_hash'),
});

// The statements of the hot paths, compiled once per dialect (see prepared-query.ts).
const FIND_USER = preparedQuery<'tenantId' | 'id', UserRow>((db, p) =>
  db.selectFrom('users').selectAll().where('tenant_id', '=', p('tenantId')).where('id', '=', p('id')),
);
const FIND_USER_WITH_GROUPS = preparedQuery<'tenantId' | 'id', UserRow>((db, p, dialect) =>
  db
    .selectFrom('users as u')
    .selectAll('u')
    .select(sql<unknown>`${userGroupsSql(dialect, 'u')}`.as('groups_json'))
    .where('u.tenant_id', '=', p('tenantId'))
    .where('u.id', '=', p('id')),
);
const INSERT_USER = preparedQuery<'tenantId' | 'id' | 'createdAt' | WrittenColumn, never>((db, p) =>
  db
    .insertInto('users')
    .values({ tenant_id: p('tenantId'), id: p('id'), created_at: p('createdAt'), ...writtenColumns(p) }),
);
/** Indexed columns: an UPDATE that sets one rewrites its index entry, so only changed ones are set. */
const INDEXED_COLUMNS = ['user_name', 'user_name_ci', 'external_id', 'display_name_ci'] as const;
const ALWAYS_WRITTEN = ['last_modified', 'version', 'doc', 'password_hash'] as const;
const UPDATES = new Map<string, ReturnType<typeof prepareUpdate>>();

function prepareUpdate(columns: readonly WrittenColumn[]) {
  return preparedQuery<'tenantId' | 'id' | 'expectedVersion' | WrittenColumn, never>((db, p) => {
    const all = writtenColumns(p);
    const set = Object.fromEntries(columns.map((column) => [column, all[column]]));
    return db
      .updateTable('users')
      .set(set)
      .where('tenant_id', '=', p('tenantId'))
      .where('id', '=', p('id'))
      .where('version', '=', p('expectedVersion') as unknown as number)
      .returning('id');
  });
}

/** The UPDATE statement setting the always-written columns plus the indexed ones in `changed`. */
function updateStatement(changed: readonly WrittenColumn[]) {
  const key = changed.join(',');
  let statement = UPDATES.get(key);
  if (statement === undefined) {
    statement = prepareUpdate([...changed, ...ALWAYS_WRITTEN]);
    UPDATES.set(key, statement);
  }
  return statement;
}
const INSERT_EMAIL = preparedQuery<'tenantId' | 'userId' | 'value', never>((db, p) =>
  db
    .insertInto('user_emails')
    .values({ tenant_id: p('tenantId'), user_id: p('userId'), value_ci: p('value') }),
);
const DELETE_EMAILS = preparedQuery<'tenantId' | 'userId', never>((db, p) =>
  db.deleteFrom('user_emails').where('tenant_id', '=', p('tenantId')).where('user_id', '=', p('userId')),
);

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
    ...(row.groups_json !== undefined ? { groups: decodeUserGroups(dialect, row.groups_json) } : {}),
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
    for (const value of emailValues(record)) {
      await INSERT_EMAIL(db, dialect, { tenantId, userId: record.id, value });
    }
  };

  return {
    ...createResourceRows(db, 'users'),

    async insert(tenantId: string, record: UserRecord): Promise<void> {
      await INSERT_USER(db, dialect, {
        tenantId,
        id: record.id,
        createdAt: record.createdAt,
        ...columnsOf(record),
      });
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

    /** The user, with its direct groups when `withGroups` (one statement either way). */
    async findById(tenantId: string, id: string, withGroups = false): Promise<UserRecord | undefined> {
      if (!isStorableText(id)) return undefined;
      const [row] = await (withGroups ? FIND_USER_WITH_GROUPS : FIND_USER)(db, dialect, { tenantId, id });
      return row === undefined ? undefined : toRecord(row);
    },

    /**
     * Replaces the stored `previous` user with `record` if it is still at `previous`'s version; false
     * when it moved on or vanished. Index entries and e-mail rows are rewritten only where they changed.
     */
    async update(tenantId: string, record: UserRecord, previous: UserRecord): Promise<boolean> {
      const next = columnsOf(record);
      const before = columnsOf(previous);
      const changed = INDEXED_COLUMNS.filter((column) => next[column] !== before[column]);
      const updated = await updateStatement(changed)(db, dialect, {
        tenantId,
        id: record.id,
        expectedVersion: previous.version,
        ...next,
      });
      if (updated.length === 0) return false;
      const emails = emailValues(record);
      const previousEmails = emailValues(previous);
      if (
        emails.length !== previousEmails.length ||
        emails.some((value, index) => value !== previousEmails[index])
      ) {
        await DELETE_EMAILS(db, dialect, { tenantId, userId: record.id });
        await writeEmails(tenantId, record);
      }
      return true;
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
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
