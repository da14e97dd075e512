import { applySourceSnapshot, type SourceApplyDependencies } from '../apply/apply-source-snapshot.ts';
import type { BindAttribute } from '../apply/plan-source-users.ts';
import { emptyStats, type SourceApplyStats, type SourceRunItemReport } from '../apply/source-apply-result.ts';
import type { SourceProtection } from '../apply/source-protection.ts';
import { compileSourceMapping, type SourceMapping } from '../mapping/compile-source-mapping.ts';
import { buildCsvSnapshot, type CsvImportProblem } from './build-csv-snapshot.ts';
import { parseCsvFile } from './parse-csv-file.ts';

export interface CsvImportRequest {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly config: { key: string; mapping: SourceMapping; bindBy?: BindAttribute | undefined };
  readonly protection: SourceProtection;
  readonly file: Buffer;
  /** Compute and return the plan only (the default of the API and the CLI). */
  readonly dryRun: boolean;
  /** The file lists everyone: owned users it does not list are deleted (through pull protection). */
  readonly complete: boolean;
  /** Apply the valid rows of a file that has problems (else such a file changes nothing). */
  readonly applyValidRows: boolean;
}

/** A row of the plan: the key and the line it was read on (none for a deletion). */
export interface CsvPlanSample {
  readonly key: string;
  readonly line: number | null;
  readonly objectId: string | null;
}

export interface CsvImportReport {
  /** False when the import was (or, dry, would be) refused: `error` says why. */
  readonly ok: boolean;
  readonly dryRun: boolean;
  /** Whether anything was written. */
  readonly applied: boolean;
  /** Whether deletions were considered (asked for, and every row had a readable key). */
  readonly complete: boolean;
  readonly rows: number;
  readonly validRows: number;
  readonly problems: readonly CsvImportProblem[];
  readonly warnings: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
  readonly stats: SourceApplyStats;
  /** The first {@link SAMPLE_SIZE} of each action. */
  readonly samples: Readonly<Record<'create' | 'update' | 'bind' | 'delete', readonly CsvPlanSample[]>>;
}

export const SAMPLE_SIZE = 20;

/**
 * One import of a CSV file into a CSV source: parse, map by the key column and the mapping, plan,
 * and (unless dry, and only when the file is clean or `applyValidRows` is set) apply through the
 * directory services. Never throws for a bad file or row: every problem is in the report, on its
 * line. Returns the run items too (for the run record), which the report leaves out.
 */
export async function importCsvFile(
  dependencies: SourceApplyDependencies,
  request: CsvImportRequest,
): Promise<{ report: CsvImportReport; items: SourceRunItemReport[] }> {
  const { dryRun } = request;
  const compiled = compileSourceMapping(request.config.mapping);
  const empty = { create: [], update: [], bind: [], delete: [] };
  if (!compiled.ok) {
    const problems = compiled.problems.map((problem) => ({
      line: 1,
      key: null,
      reason: `the mapping of ${problem.path}: ${problem.message}`,
    }));
    return {
      report: {
        ok: false,
        dryRun,
        applied: false,
        complete: false,
        rows: 0,
        validRows: 0,
        problems,
        warnings: [],
        error: { code: 'invalid_mapping', message: 'The source mapping is invalid; nothing was applied' },
        stats: emptyStats(),
        samples: empty,
      },
      items: [],
    };
  }
  const built = buildCsvSnapshot(parseCsvFile(request.file), {
    key: request.config.key,
    mapping: request.config.mapping,
    compiled: compiled.value,
    complete: request.complete,
  });
  const base = {
    dryRun,
    complete: built.snapshot.complete,
    rows: built.rows,
    warnings: built.warnings,
  };
  if (built.fatal)
    return {
      report: {
        ...base,
        ok: false,
        applied: false,
        validRows: 0,
        problems: built.problems,
        error: {
          code: 'invalid_file',
          message: 'The file cannot be read as a whole (see the problems on line 1); nothing was applied',
        },
        stats: emptyStats(),
        samples: empty,
      },
      items: [],
    };

  const rowProblems = built.problems.length > 0;
  const blocked = rowProblems && !request.applyValidRows;
  const result = await applySourceSnapshot(
    dependencies,
    {
      tenantId: request.tenantId,
      sourceId: request.sourceId,
      protection: request.protection,
      bindBy: request.config.bindBy,
      dryRun: dryRun || blocked,
      invalidEntries: request.applyValidRows ? 'skip' : 'refuse',
    },
    built.snapshot,
  );
  // Entries the planner found invalid (a value the SCIM schema refuses, a bind conflict) join the
  // problems on their line; those the file already explained are not repeated.
  const explained = new Set(built.problems.map((problem) => problem.key));
  const problems = [
    ...built.problems,
    ...result.items
      .filter((item) => item.action === 'invalid' && !explained.has(item.key))
      .map((item) => ({
        line: built.lineOf.get(item.key) ?? 0,
        key: item.key,
        reason: item.message ?? 'cannot be applied',
      })),
  ].sort((a, b) => a.line - b.line);
  const invalidKeys = new Set(problems.flatMap((problem) => (problem.key === null ? [] : [problem.key])));
  const samples = { create: [], update: [], bind: [], delete: [] } as Record<
    'create' | 'update' | 'bind' | 'delete',
    CsvPlanSample[]
  >;
  for (const item of result.items) {
    if (item.action === 'invalid') continue;
    const list = samples[item.action];
    if (list.length < SAMPLE_SIZE)
      list.push({ key: item.key, line: built.lineOf.get(item.key) ?? null, objectId: item.objectId });
  }
  const invalidRows = {
    code: 'invalid_rows',
    message:
      `${problems.length} problem(s) in the file; nothing was applied. Fix them, or apply the valid ` +
      'rows only (applyValidRows / --apply-valid-rows)',
  };
  const refusal = !result.ok
    ? result.error.code === 'invalid_entries'
      ? invalidRows
      : result.error
    : blocked || (problems.length > 0 && !request.applyValidRows)
      ? invalidRows
      : undefined;
  const report: CsvImportReport = {
    ...base,
    ok: refusal === undefined,
    applied: result.ok && !result.dryRun,
    validRows: built.snapshot.users.filter((user) => !invalidKeys.has(user.key)).length,
    problems,
    ...(refusal === undefined ? {} : { error: refusal }),
    stats: result.stats,
    samples,
  };
  return { report, items: result.items };
}
