import type { GroupService } from '../directory/group-service.ts';
import type { UserService } from '../directory/user-service.ts';
import { ProvisioningError } from '../provisioning/provisioning-error.ts';
import type { Storage } from '../storage/open-storage.ts';
import type { SourceRunItemReport } from './apply/source-apply-result.ts';
import type { CsvImportProblem } from './csv/build-csv-snapshot.ts';
import { type CsvImportReport, importCsvFile } from './csv/import-csv-file.ts';
import { recordSourceRun } from './source-run-recorder.ts';
import { CsvSourceConfigSchema, type SourceService } from './source-service.ts';

export interface CsvImportOptions {
  readonly dryRun: boolean;
  readonly complete: boolean;
  readonly applyValidRows: boolean;
}

/** A problem as a run item, so the run history shows it with its line. */
const problemItem = (problem: CsvImportProblem): SourceRunItemReport => ({
  type: 'User',
  key: problem.key ?? `line ${problem.line}`,
  name: `line ${problem.line}`,
  objectId: null,
  action: 'invalid',
  outcome: 'failed',
  message: `line ${problem.line}: ${problem.reason}`,
});

/**
 * Imports CSV files into the tenant's CSV sources (issue 6) and records each import as a source run
 * (mode full when the file is declared complete), dry runs included.
 */
export function createCsvImportService(dependencies: {
  storage: Storage;
  users: UserService;
  groups: GroupService;
  sources: SourceService;
}) {
  const { storage, sources } = dependencies;
  return {
    async importFile(
      tenantId: string,
      sourceId: string,
      file: Buffer,
      options: CsvImportOptions,
    ): Promise<CsvImportReport & { runId: string }> {
      const row = await sources.requireRow(tenantId, sourceId);
      if (row.kind !== 'csv')
        throw new ProvisioningError('invalid', `Source "${sourceId}" is an LDAP source: run it instead`);
      if (row.status === 'disabled')
        throw new ProvisioningError('invalid', `Source "${sourceId}" is disabled`);
      const startedAt = new Date().toISOString();
      const { report, items } = await importCsvFile(dependencies, {
        tenantId,
        sourceId,
        config: CsvSourceConfigSchema.parse(sources.configOf(row)),
        protection: sources.protectionOf(row),
        file,
        ...options,
      });
      const failed = items.some((item) => item.outcome === 'failed' && item.action !== 'invalid');
      const runId = await recordSourceRun(storage, {
        tenantId,
        sourceId,
        mode: report.complete ? 'full' : 'incremental',
        trigger: 'manual',
        dryRun: options.dryRun,
        status: !report.ok ? 'failed' : failed || report.problems.length > 0 ? 'partial_success' : 'success',
        stats: report.stats,
        error: report.error,
        watermarkBefore: row.watermark,
        watermarkAfter: row.watermark,
        startedAt,
        items: [...items.filter((item) => item.action !== 'invalid'), ...report.problems.map(problemItem)],
      });
      return { runId, ...report };
    },
  };
}

export type CsvImportService = ReturnType<typeof createCsvImportService>;
