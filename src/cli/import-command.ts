import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type AdminOptions, addAdminOptions, addJsonOption, connectAdmin, segment } from './admin-command.ts';
import { cell, EXIT, printJson, printTable, UsageError } from './cli-output.ts';

interface Counts {
  created: number;
  updated: number;
  bound: number;
  deleted: number;
  same: number;
  invalid: number;
  failed: number;
}

/** The API's answer to POST .../sources/:source/import (see src/sources/csv/import-csv-file.ts). */
interface CsvImportAnswer {
  runId: string;
  ok: boolean;
  dryRun: boolean;
  applied: boolean;
  complete: boolean;
  rows: number;
  validRows: number;
  problems: { line: number; key: string | null; reason: string }[];
  warnings: string[];
  error?: { code: string; message: string };
  stats: { users: Counts };
  samples: Record<'create' | 'update' | 'bind' | 'delete', { key: string; line: number | null }[]>;
}

type ImportOptions = AdminOptions & {
  tenant: string;
  source: string;
  json?: boolean;
  apply?: boolean;
  dryRun?: boolean;
  complete?: boolean;
  applyValidRows?: boolean;
};

/** Shown per action in the plan: the first few keys, as the server sampled them. */
const SAMPLES_SHOWN = 5;

function printAnswer(answer: CsvImportAnswer): void {
  if (answer.problems.length > 0) {
    console.log(`Problems (${answer.problems.length}):`);
    printTable(
      ['LINE', 'KEY', 'REASON'],
      answer.problems.map((problem) => [String(problem.line), cell(problem.key), problem.reason]),
    );
    console.log('');
  }
  for (const warning of answer.warnings) console.log(`Note: ${warning}`);
  const users = answer.stats.users;
  const verb = answer.applied ? 'Applied' : answer.dryRun ? 'Plan (dry run)' : 'Plan (not applied)';
  console.log(
    `${verb}: ${answer.rows} rows, ${answer.validRows} valid; users: ${users.created} to create, ` +
      `${users.updated} to update, ${users.bound} to bind, ${users.deleted} to delete, ${users.same} unchanged` +
      (users.invalid > 0 ? `, ${users.invalid} invalid` : '') +
      (users.failed > 0 ? `, ${users.failed} failed` : '') +
      (answer.complete ? '' : ' (not complete: no deletions)'),
  );
  for (const action of ['create', 'update', 'bind', 'delete'] as const) {
    const samples = answer.samples[action];
    if (samples.length === 0) continue;
    const shown = samples
      .slice(0, SAMPLES_SHOWN)
      .map((sample) => (sample.line === null ? sample.key : `${sample.key} (line ${sample.line})`));
    console.log(`  ${action}: ${shown.join(', ')}${samples.length > SAMPLES_SHOWN ? ', …' : ''}`);
  }
  if (answer.error !== undefined) console.log(`Not applied: ${answer.error.message}`);
  else if (answer.dryRun) console.log('Dry run: nothing was changed. Add --apply to apply.');
  console.log(`Run: ${answer.runId}`);
}

/**
 * `lockstep import users.csv`: a CSV / HR file into a CSV source. A dry run unless `--apply`; a file
 * with problems changes nothing unless `--apply-valid-rows`. Exit 2 when the file has problems and
 * nothing was applied, 4 when pull protection refused the run, 0 otherwise.
 */
export function registerImportCommand(program: Command): void {
  addJsonOption(addAdminOptions(program.command('import')))
    .description(
      'Import a CSV file (header row, UTF-8) into a CSV source: a dry run that prints the plan and every ' +
        'problem per line, unless --apply',
    )
    .argument('<file>', 'the CSV file')
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--source <id>', 'the CSV source (its key column and mapping)')
    .option('--dry-run', 'only show the plan (the default)')
    .option('--apply', 'apply the plan')
    .option('--complete', 'the file lists everyone: users of this source it does not list are deleted')
    .option('--apply-valid-rows', 'apply the valid rows even if other rows have problems')
    .action(async (path: string, options: ImportOptions) => {
      if (options.apply && options.dryRun) throw new UsageError('Use either --apply or --dry-run, not both');
      let file: Buffer;
      try {
        file = await readFile(path);
      } catch (error) {
        throw new UsageError(
          `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
      const answer = await connectAdmin(options).upload<CsvImportAnswer>(
        `/tenants/${segment(options.tenant)}/sources/${segment(options.source)}/import`,
        file,
        'text/csv',
        {
          dryRun: options.apply ? 'false' : 'true',
          complete: options.complete ? 'true' : 'false',
          applyValidRows: options.applyValidRows ? 'true' : 'false',
        },
      );
      if (options.json) printJson(answer);
      else printAnswer(answer);
      if (answer.error?.code === 'protection' || answer.error?.code === 'empty_source')
        process.exitCode = EXIT.conflict;
      else if (answer.problems.length > 0 && !answer.applied) process.exitCode = EXIT.usage;
      else process.exitCode = EXIT.ok;
    });
}
