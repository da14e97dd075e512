import type { Kysely } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * A target's native API (issue 5): RAM's OpenAPI endpoint and the AccessKey Lockstep clears a RAM
 * user's dependents with, sealed with the service's secret key like the SCIM connection. Null for a
 * target without one.
 */
export function createTargetNativeApiMigration(_context: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('targets').addColumn('native_sealed', 'text').execute();
    },
  };
}
