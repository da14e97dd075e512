import type { Migration, MigrationProvider } from 'kysely';
import { createDirectoryMigration } from './0001-directory.ts';
import { createAuthMigration } from './0002-auth.ts';
import { createJobsMigration } from './0003-jobs.ts';
import { createProvisioningMigration } from './0004-provisioning.ts';
import { createSourcesMigration } from './0005-sources.ts';
import { createTargetNativeApiMigration } from './0006-target-native-api.ts';
import { createDeprovisioningMigration } from './0007-deprovisioning.ts';
import { createReconciliationMigration } from './0008-reconciliation.ts';
import { createPlansMigration } from './0009-plans.ts';
import { createTargetRateLimitsMigration } from './0010-target-rate-limits.ts';
import { createPendingReferencesMigration } from './0011-pending-references.ts';
import { createJobGroupLimitsMigration } from './0012-job-group-limits.ts';
import { createRunStatisticsIndexMigration } from './0013-run-statistics-index.ts';
import { createRunningJobsIndexesMigration } from './0014-running-jobs-indexes.ts';
import { createJobTakenKeysMigration } from './0015-job-taken-keys.ts';
import { createPartialLinkRemovalIndexesMigration } from './0016-partial-link-removal-indexes.ts';
import type { MigrationContext } from './migration-context.ts';

/** The ordered, numbered migrations. Append new ones; never edit one that has shipped. */
export function createMigrationProvider(context: MigrationContext): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001-directory': createDirectoryMigration(context),
        '0002-auth': createAuthMigration(context),
        '0003-jobs': createJobsMigration(context),
        '0004-provisioning': createProvisioningMigration(context),
        '0005-sources': createSourcesMigration(context),
        '0006-target-native-api': createTargetNativeApiMigration(context),
        '0007-deprovisioning': createDeprovisioningMigration(context),
        '0008-reconciliation': createReconciliationMigration(context),
        '0009-plans': createPlansMigration(context),
        '0010-target-rate-limits': createTargetRateLimitsMigration(context),
        '0011-pending-references': createPendingReferencesMigration(context),
        '0012-job-group-limits': createJobGroupLimitsMigration(context),
        '0013-run-statistics-index': createRunStatisticsIndexMigration(),
        '0014-running-jobs-indexes': createRunningJobsIndexesMigration(),
        '0015-job-taken-keys': createJobTakenKeysMigration(),
        '0016-partial-link-removal-indexes': createPartialLinkRemovalIndexesMigration(),
      };
    },
  };
}
