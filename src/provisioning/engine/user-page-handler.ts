import type { JobHandler, JobOutcome, JobQueue, JobSpec, RunningJob } from '../../jobs/job-queue.ts';
import { computeBackoffMs } from '../../jobs/next-run.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { ScimTargetAdapter } from '../../targets/adapters/scim-target-adapter.ts';
import type { ScimClientError } from '../../targets/scim-client/scim-client-error.ts';
import { RECONCILE_USER, reconcileKey } from './change-dispatcher.ts';
import type { CompiledProvisioning, DirectoryUser } from './compiled-provisioning.ts';
import { type CreateCandidate, createUserPage } from './create-user-page.ts';
import type { DirectoryReader } from './directory-reader.ts';
import type { Link, LinkRepository, SavedLink } from './link-repository.ts';
import type { OperationRecord, ProvisioningLogWriter } from './provisioning-log-writer.ts';
import type { ProvisioningRuns } from './provisioning-runs.ts';
import { isRetryable, type ReconcileContext, type ReconcileResult } from './reconcile-outcome.ts';
import { reconcileUser } from './reconcile-user.ts';

export const RECONCILE_USER_PAGE = 'reconcile-user-page';
/**
 * Users per page job: its lookups (OR-ed, 100 terms a query), its Bulk request(s) and one commit for
 * their results. 250 rather than 100: the per-page costs (claim, reads, marks, commit, finish) spread
 * over more users, about a tenth of the hub's CPU per user (decision 0016, session 5).
 */
export const USER_PAGE_SIZE = 250;
/**
 * How long a page's writes (its `creating` marks, its results) wait for the other pages' writes to
 * share a commit (SQLite; see write-batcher.ts). A page is a few hundred ms of work; the wait is small
 * beside it and halves the commits of a full push.
 */
const PAGE_WRITE_LINGER_MS = 10;

interface UserPagePayload {
  readonly provisioningId: string;
  readonly runId: string;
  readonly objectIds: readonly string[];
}

/** Under the provisioning's `reconcile:` prefix, so cancelling its jobs cancels its pages too. */
export const userPageKey = (provisioningId: string, runId: string, firstId: string) =>
  `${reconcileKey(provisioningId, 'User', '')}page:${runId}:${firstId}`;

export interface UserPageDependencies {
  readonly storage: Storage;
  readonly queue: JobQueue;
  readonly runs: ProvisioningRuns;
  readonly reader: DirectoryReader;
  readonly links: LinkRepository;
  readonly log: ProvisioningLogWriter;
  compiledOf(provisioningId: string): Promise<{ compiled: CompiledProvisioning } | undefined>;
  adapterFor(targetId: string): Promise<ScimTargetAdapter | undefined>;
  /** What `reconcileUser` needs for one user of the page (the engine's links and log). */
  contextFor(
    provisioning: CompiledProvisioning,
    adapter: ScimTargetAdapter,
    runId: string,
    job: RunningJob,
  ): Promise<ReconcileContext>;
  /** How long the target still asks us to wait (Retry-After), in ms; ≤ 0 when it does not. */
  holdMs(targetId: string): number;
  /** Counts a result towards quarantine (and a Retry-After towards the hold), as a one-user job does. */
  observe(targetId: string, result: ReconcileResult): void;
  /** The groups to reconcile after a user got or lost its account (when groups are pushed). */
  groupJobsAfter(provisioning: CompiledProvisioning, userIds: readonly string[]): Promise<JobSpec[]>;
}

/**
 * Plans a full push's users in pages: `U:` (every directory user) in page jobs of `USER_PAGE_SIZE`;
 * `L:` (every live link) only the users `U:` did not plan (deleted since), each in its own job. Only
 * for a queue that can hand a job other keys (`takeKeys`).
 */
export async function planUserPages(
  options: { readonly runs: ProvisioningRuns; readonly queue: JobQueue },
  runId: string,
  p: Pick<CompiledProvisioning, 'id' | 'targetId'>,
  phase: 'U:' | 'L:',
  ids: readonly string[],
): Promise<void> {
  const { runs, queue } = options;
  const planned = phase === 'L:' ? await runs.plannedAmong(runId, 'User', ids) : new Set<string>();
  const fresh = ids.filter((id) => !planned.has(id));
  await runs.plan(runId, 'User', fresh);
  const done = await runs.doneAmong(runId, fresh);
  const todo = fresh.filter((id) => !done.has(id));
  const jobs: JobSpec[] = [];
  if (phase === 'L:')
    for (const objectId of todo)
      jobs.push({
        kind: RECONCILE_USER,
        key: reconcileKey(p.id, 'User', objectId),
        group: p.targetId,
        payload: { provisioningId: p.id, objectId, runId },
      });
  else
    for (let start = 0; start < todo.length; start += USER_PAGE_SIZE) {
      const objectIds = todo.slice(start, start + USER_PAGE_SIZE);
      jobs.push({
        kind: RECONCILE_USER_PAGE,
        key: userPageKey(p.id, runId, objectIds[0] as string),
        group: p.targetId,
        payload: { provisioningId: p.id, runId, objectIds } satisfies UserPagePayload,
      });
    }
  await queue.enqueue(jobs);
}

/** What a target refused once (per adapter, so a changed target is asked afresh). */
const refusedBatchLookups = new WeakSet<ScimTargetAdapter>();
const refusedBulk = new WeakSet<ScimTargetAdapter>();

/**
 * A page of a full push in one job: the users' keys are taken from the queue (so no other job
 * reconciles one of them meanwhile, and a crash hands each back to its own job), the users and their
 * links are read in one query each, new users are created together (create-user-page.ts) and every
 * other user goes through `reconcileUser` one by one; then the links, log entries, run outcomes and
 * the keys' release commit in one transaction. A user to retry goes back to its own job.
 */
export function createUserPageHandler(deps: UserPageDependencies) {
  const { storage, queue, runs, reader, links, log } = deps;

  const userJob = (p: CompiledProvisioning, runId: string, objectId: string, runAt?: Date): JobSpec => ({
    kind: RECONCILE_USER,
    key: reconcileKey(p.id, 'User', objectId),
    group: p.targetId,
    payload: { provisioningId: p.id, objectId, runId },
    ...(runAt !== undefined ? { runAt } : {}),
  });

  const handle: JobHandler = async (job): Promise<JobOutcome> => {
    const { provisioningId, runId, objectIds } = job.payload as UserPagePayload;
    const run = await runs.find(runId);
    if (run === undefined || run.status !== 'running' || run.cancel_requested === 1)
      return { outcome: 'done' };
    const loaded = await deps.compiledOf(provisioningId);
    const p = loaded?.compiled;
    const adapter = p === undefined ? undefined : await deps.adapterFor(p.targetId);
    const done = await runs.doneAmong(runId, objectIds);
    const todo = objectIds.filter((id) => !done.has(id));
    if (p === undefined || adapter === undefined || queue.takeKeys === undefined) {
      // Each user's own job reports what is missing, as it would have without pages.
      if (p !== undefined) await queue.enqueue(todo.map((id) => userJob(p, runId, id)));
      return p === undefined
        ? { outcome: 'failed', error: `provisioning ${provisioningId} is gone` }
        : { outcome: 'done' };
    }
    const holdMs = deps.holdMs(p.targetId);
    if (holdMs > 0) {
      await queue.enqueue([
        {
          kind: job.kind,
          key: job.key,
          group: p.targetId,
          payload: job.payload,
          runAt: new Date(Date.now() + holdMs),
        },
      ]);
      return { outcome: 'done' };
    }
    const taken = await queue.takeKeys(
      job,
      todo.map((id) => userJob(p, runId, id)),
    );
    // A user whose own job waits or runs is left to it (pulled forward, as planning it alone would).
    const others = todo.filter((id) => !taken.has(reconcileKey(p.id, 'User', id)));
    if (others.length > 0) await queue.enqueue(others.map((id) => userJob(p, runId, id)));
    const ids = todo.filter((id) => taken.has(reconcileKey(p.id, 'User', id)));
    if (ids.length === 0) return { outcome: 'done' };
    try {
      await reconcilePage(job, p, adapter, runId, ids);
    } catch (error) {
      // Nothing of the page is lost: each user goes back to its own job.
      await queue.enqueue(ids.map((id) => userJob(p, runId, id)));
      await queue.releaseKeys?.(job, keysOf(p, ids));
      throw error;
    }
    return { outcome: 'done' };
  };

  async function reconcilePage(
    job: RunningJob,
    p: CompiledProvisioning,
    adapter: ScimTargetAdapter,
    runId: string,
    ids: readonly string[],
  ): Promise<void> {
    const [users, known] = await Promise.all([
      reader.readUsers(p.tenantId, ids, { groups: p.scopeUsesGroups, orgUnits: p.scopeUsesOrgUnits }),
      links.findMany(p.id, 'User', ids),
    ]);
    const base = await deps.contextFor(p, adapter, runId, job);
    const buffered: OperationRecord[] = [];
    const quickContext: ReconcileContext = {
      ...base,
      log: { ...base.log, record: async (operation) => void buffered.push(operation) },
    };
    const candidates: CreateCandidate[] = [];
    const oneByOne: string[] = [];
    for (const id of ids) {
      const candidate = quickCandidate(p, users.get(id), known.has(id));
      if (candidate === undefined) oneByOne.push(id);
      else candidates.push(candidate);
    }

    const quick = await createUserPage(quickContext, candidates, {
      batchLookups:
        p.capabilities.filter.logicalOperators.includes('or') && !refusedBatchLookups.has(adapter),
      bulk: p.capabilities.bulk.supported && !refusedBulk.has(adapter),
      signal: job.signal,
      markCreating: (marks) =>
        storage.write((trx) => links.saveMany(marks, trx), { lingerMs: PAGE_WRITE_LINGER_MS }),
    });
    if (quick.refused.batchLookups) refusedBatchLookups.add(adapter);
    if (quick.refused.bulk) refusedBulk.add(adapter);
    reportRequests(p.targetId, quick.requestErrors, quick.results);
    const results = new Map(quick.results);
    const handBack = new Map<string, Date | undefined>(quick.unsent.map((id) => [id, undefined]));

    // Everyone else, one by one, exactly as their own jobs would (the link read above is reused once).
    const oneContext: ReconcileContext = { ...base, links: withPrefetched(links, p.id, ids, known) };
    for (const id of [...quick.delegated, ...oneByOne]) {
      const holdMs = deps.holdMs(p.targetId);
      if (job.signal.aborted || holdMs > 0) {
        handBack.set(id, holdMs > 0 ? new Date(Date.now() + holdMs) : undefined);
        continue;
      }
      const result = await reconcileUser(oneContext, id, users.get(id));
      deps.observe(p.targetId, result);
      results.set(id, result);
    }

    const completions: {
      objectId: string;
      action: ReconcileResult['action'];
      outcome: 'success' | 'failed';
    }[] = [];
    const changedAccounts: string[] = [];
    for (const [id, result] of results) {
      if (result.outcome === 'retry') {
        handBack.set(id, new Date(Date.now() + (result.afterMs ?? computeBackoffMs(job.attempt))));
        continue;
      }
      completions.push({
        objectId: id,
        action: result.action,
        outcome: result.outcome === 'done' ? 'success' : 'failed',
      });
      if (result.outcome === 'done' && (result.action === 'created' || result.action === 'deleted'))
        changedAccounts.push(id);
    }
    const followUps = [
      ...[...handBack].map(([id, runAt]) => userJob(p, runId, id, runAt)),
      ...(p.pushGroups ? await deps.groupJobsAfter(p, changedAccounts) : []),
    ];
    const runIds = await storage.write(
      async (trx) => {
        await links.saveMany(quick.links, trx);
        await log.recordMany(buffered, trx);
        const recorded = await runs.completeMany(trx, p.id, 'User', completions);
        await queue.enqueue(followUps, trx);
        await queue.releaseKeys?.(job, keysOf(p, ids), trx);
        return recorded;
      },
      { lingerMs: PAGE_WRITE_LINGER_MS },
    );
    for (const id of runIds) await runs.finishIfDone(id);
  }

  /** A failed request counts once towards quarantine, as one user's would; a create that worked clears it. */
  function reportRequests(
    targetId: string,
    errors: readonly ScimClientError[],
    results: ReadonlyMap<string, ReconcileResult>,
  ): void {
    for (const error of errors)
      if (isRetryable(error))
        deps.observe(targetId, {
          outcome: 'retry',
          error: error.message,
          afterMs: error.retryAfterMs,
          action: 'skipped',
        });
    if ([...results.values()].some((result) => result.outcome === 'done'))
      deps.observe(targetId, { outcome: 'done', action: 'created' });
  }

  return handle;
}

const keysOf = (p: CompiledProvisioning, ids: readonly string[]) =>
  ids.map((id) => reconcileKey(p.id, 'User', id));

/**
 * The user as a quick create, or undefined when it needs `reconcileUser`: gone, linked before, out of
 * scope, disabled, create not subscribed, or a mapping or matching that fails (reported there).
 */
function quickCandidate(
  p: CompiledProvisioning,
  user: DirectoryUser | undefined,
  linked: boolean,
): CreateCandidate | undefined {
  if (user === undefined || linked || p.status !== 'enabled' || !p.operations.create) return undefined;
  // References (the manager) are translated, and waiting users released, one by one (reconcile-user.ts).
  if (p.referenceAttributes.length > 0) return undefined;
  if (user.doc.active === false || !p.inScope(user)) return undefined;
  const started = performance.now();
  const projection = p.project(user, 'create');
  if (!projection.ok) return undefined;
  const matching = p.matchFilters(user, projection.attributes);
  if (!matching.ok) return undefined;
  return {
    user,
    document: projection.document,
    attributes: projection.attributes,
    filters: matching.filters,
    started,
  };
}

/**
 * The links, with what the page read served to the first `find` of each of its users (a link, or
 * none) until that user's link is saved.
 */
function withPrefetched(
  links: LinkRepository,
  provisioningId: string,
  ids: readonly string[],
  known: ReadonlyMap<string, Link>,
): LinkRepository {
  const unread = new Set(ids);
  return {
    ...links,
    async find(id, objectType, objectId) {
      if (id === provisioningId && objectType === 'User' && unread.delete(objectId))
        return known.get(objectId);
      return links.find(id, objectType, objectId);
    },
    async save(link: SavedLink) {
      unread.delete(link.objectId);
      return links.save(link);
    },
  };
}
