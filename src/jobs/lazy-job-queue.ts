import type { JobQueue } from './job-queue.ts';

/**
 * A queue created on first use: a process that never enqueues or works (a CLI, most tests) never
 * connects a job-queue library or installs its schema. `direct` does what needs no connection (group
 * limits live in the application database) without creating the queue.
 */
export function createLazyJobQueue(
  create: () => Promise<JobQueue>,
  direct: Partial<Pick<JobQueue, 'setGroupLimit'>> = {},
): JobQueue {
  let queue: Promise<JobQueue> | undefined;
  const get = () => {
    queue ??= create();
    return queue;
  };
  return {
    enqueue: async (jobs, trx) => (await get()).enqueue(jobs, trx),
    startWorker(options) {
      const worker = get().then((ready) => ready.startWorker(options));
      return { stop: async () => (await worker).stop() };
    },
    pauseGroup: async (group) => (await get()).pauseGroup(group),
    resumeGroup: async (group) => (await get()).resumeGroup(group),
    listPausedGroups: async () => (await get()).listPausedGroups(),
    setGroupLimit: async (group, max, trx) =>
      direct.setGroupLimit !== undefined
        ? direct.setGroupLimit(group, max, trx)
        : (await get()).setGroupLimit(group, max, trx),
    listJobs: async (filter) => (await get()).listJobs(filter),
    cancel: async (keyPrefix) => (await get()).cancel(keyPrefix),
    async close() {
      if (queue !== undefined) await (await queue).close();
    },
  };
}
