import type { Kysely } from 'kysely';
import { chunks } from '../../directory/chunks.ts';
import type { DatabaseSchema } from '../../storage/database-schema.ts';
import type { SqlDialect } from '../../storage/sql-dialect.ts';
import type { SourceObjectType } from './source-snapshot.ts';

/** The record that source S owns directory object O under its external key K. */
export interface SourceObjectLink {
  readonly type: SourceObjectType;
  readonly key: string;
  readonly objectId: string;
  readonly name: string | null;
  /** The SCIM attribute paths the source supplies. */
  readonly owned: readonly string[];
  /** Paths released to local control: the source no longer writes them. */
  readonly released: readonly string[];
  readonly state: unknown;
}

const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

export function createSourceObjectRepository(db: Kysely<DatabaseSchema>, dialect: SqlDialect) {
  return {
    /** Every object of `type` the source owns, by external key. */
    async list(sourceId: string, type: SourceObjectType): Promise<Map<string, SourceObjectLink>> {
      const rows = await db
        .selectFrom('source_objects')
        .selectAll()
        .where('source_id', '=', sourceId)
        .where('object_type', '=', type)
        .execute();
      return new Map(
        rows.map((row) => [
          row.external_key,
          {
            type,
            key: row.external_key,
            objectId: row.object_id,
            name: row.external_name,
            owned: asStrings(dialect.decodeJson(row.attributes_owned)),
            released: asStrings(dialect.decodeJson(row.released)),
            state: row.source_state === null ? null : dialect.decodeJson(row.source_state),
          },
        ]),
      );
    },

    /** Which source owns each of `objectIds` (absent: none). */
    async ownersOf(
      tenantId: string,
      type: SourceObjectType,
      objectIds: readonly string[],
    ): Promise<Map<string, { sourceId: string; key: string }>> {
      const owners = new Map<string, { sourceId: string; key: string }>();
      for (const part of chunks(objectIds)) {
        const rows = await db
          .selectFrom('source_objects')
          .select(['object_id', 'source_id', 'external_key'])
          .where('tenant_id', '=', tenantId)
          .where('object_type', '=', type)
          .where('object_id', 'in', part)
          .execute();
        for (const row of rows) owners.set(row.object_id, { sourceId: row.source_id, key: row.external_key });
      }
      return owners;
    },

    /** Inserts or updates links; `released` of an existing link is kept. */
    async upsert(
      tenantId: string,
      sourceId: string,
      links: readonly Omit<SourceObjectLink, 'released'>[],
    ): Promise<void> {
      const now = new Date().toISOString();
      for (const part of chunks(links, 200)) {
        await db
          .insertInto('source_objects')
          .values(
            part.map((link) => ({
              tenant_id: tenantId,
              source_id: sourceId,
              object_type: link.type,
              external_key: link.key,
              object_id: link.objectId,
              external_name: link.name,
              attributes_owned: JSON.stringify(link.owned),
              released: '[]',
              source_state:
                link.state === null || link.state === undefined ? null : JSON.stringify(link.state),
              updated_at: now,
            })),
          )
          .onConflict((conflict) =>
            conflict.columns(['source_id', 'object_type', 'external_key']).doUpdateSet((eb) => ({
              object_id: eb.ref('excluded.object_id'),
              external_name: eb.ref('excluded.external_name'),
              attributes_owned: eb.ref('excluded.attributes_owned'),
              source_state: eb.ref('excluded.source_state'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    },

    async remove(sourceId: string, type: SourceObjectType, keys: readonly string[]): Promise<void> {
      for (const part of chunks(keys)) {
        await db
          .deleteFrom('source_objects')
          .where('source_id', '=', sourceId)
          .where('object_type', '=', type)
          .where('external_key', 'in', part)
          .execute();
      }
    },

    /** Sets the paths released to local control of one object; false when the source does not own it. */
    async setReleased(
      sourceId: string,
      type: SourceObjectType,
      objectId: string,
      released: readonly string[],
    ): Promise<boolean> {
      const result = await db
        .updateTable('source_objects')
        .set({ released: JSON.stringify([...new Set(released)]), updated_at: new Date().toISOString() })
        .where('source_id', '=', sourceId)
        .where('object_type', '=', type)
        .where('object_id', '=', objectId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type SourceObjectRepository = ReturnType<typeof createSourceObjectRepository>;
