import { cell, EXIT, printFields, printTable } from './cli-output.ts';
import { RUN_ACTIONS, type Run } from './provisioning-api-types.ts';

const ACTION_LABELS: Readonly<Record<(typeof RUN_ACTIONS)[number], string>> = {
  created: 'Created',
  updated: 'Updated',
  deleted: 'Deleted',
  same: 'Same',
  skipped: 'Skipped',
};

/** A run, then its statistics in IDaaS's shape: one row per action, Total / Success / Failed. */
export function printRun(run: Run): void {
  printFields([
    ['Run', run.id],
    ['Kind', run.kind],
    ['Provisioning', run.provisioningId],
    ['Status', run.status],
    ...(run.error !== null ? ([['Error', run.error]] as const) : []),
    ['Planned', String(run.statistics.planned)],
    ['Pending', String(run.statistics.pending)],
    ['Created', run.createdAt],
    ['Started', cell(run.startedAt)],
    ['Finished', cell(run.finishedAt)],
  ]);
  console.log('');
  printStatistics(run);
}

export function printStatistics(run: Run): void {
  printTable(
    ['', 'TOTAL', 'SUCCESS', 'FAILED'],
    RUN_ACTIONS.map((action) => {
      const tally = run.statistics[action];
      return [ACTION_LABELS[action], String(tally.total), String(tally.success), String(tally.failed)];
    }),
  );
}

export function countFailed(run: Run): number {
  return RUN_ACTIONS.reduce((sum, action) => sum + run.statistics[action].failed, 0);
}

/**
 * The exit code of a command that waited for a run: 0 when it succeeded, 1 when it ended failed,
 * partly failed or cancelled, 130 when the user interrupted it (the shell's code for Ctrl-C).
 */
export function exitCodeOfRun(run: Run, interrupted: boolean): number {
  if (interrupted) return 130;
  return run.status === 'success' ? EXIT.ok : EXIT.failure;
}
