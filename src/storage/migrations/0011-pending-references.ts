import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * Pending references (issue 4, item 7): a user pushed without its manager because the manager had no
 * account on the target yet. When the manager's account appears, the users waiting for it are
 * reconciled again and get the manager's target id. One row per (provisioning, user, reference
 * attribute); found by the referenced user. @see docs/decisions/0020-reference-attributes.md
 */
export function createPendingReferencesMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('pending_references')
        .addColumn('provisioning_id', text, (c) => c.notNull())
        /** The user whose attribute waits. */
        .addColumn('object_id', text, (c) => c.notNull())
        /** The target attribute (canonical path), e.g. the enterprise `manager.value`. */
        .addColumn('attribute', text, (c) => c.notNull())
        /** The directory user it refers to, not provisioned yet. */
        .addColumn('referenced_id', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('pending_references_pk', ['provisioning_id', 'object_id', 'attribute'])
        .execute();
      await db.schema
        .createIndex('pending_references_referenced_ix')
        .on('pending_references')
        .columns(['provisioning_id', 'referenced_id'])
        .execute();
    },
  };
}
