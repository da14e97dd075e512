import cliProgress from 'cli-progress';
import { AdminApiError, type AdminClient } from './admin-client.ts';
import { countFailed } from './print-run.ts';
import { isRunOver, type Run } from './provisioning-api-types.ts';
import { runPath } from './provisioning-paths.ts';

const POLL_INTERVAL_MS = 500;
/** Polls that may fail in a row (a restart, a blip) before the command gives up watching. */
const MAX_FAILED_POLLS = 10;

export interface FollowRunOptions {
  /** Draw a progress bar on standard error (only on a terminal). */
  readonly bar: boolean;
  /** Ctrl-C asks the server to cancel the run (a full push); otherwise it only stops watching. */
  readonly cancellable: boolean;
  readonly intervalMs?: number;
}

export interface FollowRunResult {
  /** The run as last seen: over, unless the user stopped watching. */
  readonly run: Run;
  /** The user pressed Ctrl-C. */
  readonly interrupted: boolean;
}

/**
 * Watches a run until it is over, from its statistics (objects planned, still pending). The first
 * Ctrl-C asks the server to cancel a full push and waits for the run to end cancelled; a second one
 * stops watching at once (the run goes on, or ends, on the server).
 */
export async function followRun(
  client: AdminClient,
  tenant: string,
  runId: string,
  options: FollowRunOptions,
): Promise<FollowRunResult> {
  const bar = options.bar ? startBar() : undefined;
  let interrupts = 0;
  let wake: (() => void) | undefined;
  const onInterrupt = () => {
    interrupts++;
    wake?.();
    if (interrupts > 1 || !options.cancellable) return;
    bar?.stop();
    process.stderr.write(`Cancelling run ${runId} (press Ctrl-C again to stop waiting)...\n`);
    client.post<Run>(`${runPath(tenant, runId)}/cancel`).catch((error: unknown) => {
      process.stderr.write(`Could not cancel: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };
  process.on('SIGINT', onInterrupt);
  try {
    let run = await client.get<Run>(runPath(tenant, runId));
    let failedPolls = 0;
    for (;;) {
      if (interrupts === 0) bar?.update(run);
      if (isRunOver(run) || interrupts > 1 || (interrupts === 1 && !options.cancellable)) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.intervalMs ?? POLL_INTERVAL_MS);
      });
      wake = undefined;
      if (interrupts > 1 || (interrupts === 1 && !options.cancellable)) break;
      try {
        run = await client.get<Run>(runPath(tenant, runId));
        failedPolls = 0;
      } catch (error) {
        if (!(error instanceof AdminApiError) || !isPassing(error) || ++failedPolls >= MAX_FAILED_POLLS)
          throw error;
      }
    }
    return { run, interrupted: interrupts > 0 };
  } finally {
    process.off('SIGINT', onInterrupt);
    bar?.stop();
  }
}

/** Failures worth another poll: the server restarting, a proxy's 5xx, a rate limit. */
function isPassing(error: AdminApiError): boolean {
  return error.kind === 'unreachable' || error.kind === 'rate_limited' || error.kind === 'failure';
}

interface RunBar {
  update(run: Run): void;
  stop(): void;
}

function startBar(): RunBar {
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {percentage}% | {value}/{total} objects | {status} | {summary}',
      stream: process.stderr,
      hideCursor: true,
      emptyOnZero: true,
      gracefulExit: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(run) {
      const { planned, pending } = run.statistics;
      const payload = { status: run.status, summary: summarize(run) };
      if (!started) {
        bar.start(planned, planned - pending, payload);
        started = true;
        return;
      }
      bar.setTotal(planned);
      bar.update(planned - pending, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function summarize(run: Run): string {
  const { created, updated, deleted, same, skipped } = run.statistics;
  return (
    `created ${created.total}, updated ${updated.total}, deleted ${deleted.total}, ` +
    `same ${same.total}, skipped ${skipped.total}, failed ${countFailed(run)}`
  );
}
