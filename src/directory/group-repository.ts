import type { Kysely } from 'kysely';
import { getResourceType } from '../scim/schema/schema-registry.ts';
import type { DatabaseSchema, GroupTable } from '../storage/database-schema.ts';
import { preparedQuery } from '../storage/prepared-query.ts';
import type { SqlDialect } from '../storage/sql-dialect.ts';
import { chunks } from './chunks.ts';
import { createResourceRows } from './resource-rows.ts';
import { queryResourceRows, type ResourceQuery } from './sql/query-resources.ts';
import { GROUP_SQL_MAPPING } from './sql/resource-sql-mapping.ts';
import { isStorableText } from './storable-text.ts';

/** A stored group: the SCIM document without id, meta and members (members are rows of their own). */
export interface GroupRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly lastModified: string;
  readonly version: number;
  readonly doc: Record<string, unknown>;
}

type GroupRow = Omit<GroupTable, 'seq'> & { seq: number | string };

const FIND_GROUP = preparedQuery<'tenantId' | 'id', GroupRow>((db, p) =>
  db.selectFrom('groups').selectAll().where('tenant_id', '=', p('tenantId')).where('id', '=', p('id')),
);

export function createGroupRepository(db: Kysely<DatabaseSchema>, dialect: SqlDialect) {
  const toRecord = (row: GroupRow): GroupRecord => ({
    id: row.id,
    createdAt: row.created_at,
    lastModified: row.last_modified,
    version: row.version,
    doc: dialect.decodeJson(row.doc) as Record<string, unknown>,
  });

  const columnsOf = (record: GroupRecord) => {
    const displayName = String(record.doc.displayName);
    return {
      display_name: displayName,
      display_name_ci: displayName.toLowerCase(),
      external_id: typeof record.doc.externalId === 'string' ? record.doc.externalId : null,
      last_modified: record.lastModified,
      version: record.version,
      doc: dialect.encodeJson(record.doc),
    };
  };

  return {
    ...createResourceRows(db, 'groups'),

    async insert(tenantId: string, record: GroupRecord): Promise<void> {
      await db
        .insertInto('groups')
        .values({ tenant_id: tenantId, id: record.id, created_at: record.createdAt, ...columnsOf(record) })
        .execute();
    },

    /** Inserts many groups in one statement (imports, seeding); keep batches to a few hundred. */
    async insertMany(tenantId: string, records: readonly GroupRecord[]): Promise<void> {
      if (records.length === 0) return;
      await db
        .insertInto('groups')
        .values(
          records.map((record) => ({
            tenant_id: tenantId,
            id: record.id,
            created_at: record.createdAt,
            ...columnsOf(record),
          })),
        )
        .execute();
    },

    async findById(tenantId: string, id: string): Promise<GroupRecord | undefined> {
      if (!isStorableText(id)) return undefined;
      const [row] = await FIND_GROUP(db, dialect, { tenantId, id });
      return row === undefined ? undefined : toRecord(row);
    },

    /** Replaces the stored group if it is still at `expectedVersion`. */
    async update(tenantId: string, record: GroupRecord, expectedVersion: number): Promise<boolean> {
      const result = await db
        .updateTable('groups')
        .set(columnsOf(record))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', record.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async query(
      tenantId: string,
      baseUrl: string,
      query: ResourceQuery,
    ): Promise<{ total: number; records: GroupRecord[] }> {
      const { total, rows } = await queryResourceRows<GroupRow>(
        { db, dialect, tenantId, baseUrl },
        getResourceType('Group'),
        GROUP_SQL_MAPPING,
        query,
      );
      return { total, records: rows.map(toRecord) };
    },

    /** Marks groups changed (version and lastModified) without touching their documents or members. */
    async touch(tenantId: string, ids: readonly string[], lastModified: string): Promise<void> {
      for (const part of chunks(ids)) {
        await db
          .updateTable('groups')
          .set((eb) => ({ version: eb('version', '+', 1), last_modified: lastModified }))
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', part)
          .execute();
      }
    },
  };
}

export type GroupRepository = ReturnType<typeof createGroupRepository>;
