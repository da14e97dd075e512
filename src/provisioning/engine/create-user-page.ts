import type { AdapterResult, TargetAccount } from '../../targets/adapters/scim-target-adapter.ts';
import type { ScimClientError } from '../../targets/scim-client/scim-client-error.ts';
import type { DirectoryUser } from './compiled-provisioning.ts';
import type { SavedLink } from './link-repository.ts';
import {
  createdChanges,
  failure,
  isRetryable,
  linkBase,
  type ReconcileContext,
  type ReconcileResult,
  record,
} from './reconcile-outcome.ts';

/** Terms and URL length of one batched lookup: well inside common URL limits and Lockstep's filter limit. */
const MAX_LOOKUP_TERMS = 100;
const MAX_LOOKUP_URL_CHARS = 7_000;

/**
 * A user a page of a full push creates the quick way: in scope, active, never linked, with create
 * subscribed and a mapping that projects. Anything else is reconciled one by one (`reconcileUser`).
 */
export interface CreateCandidate {
  readonly user: DirectoryUser;
  readonly document: Record<string, unknown>;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The matching filters, in order. */
  readonly filters: readonly string[];
  readonly started: number;
}

export interface CreatePageOptions {
  /** Whether lookups may be OR-ed into one query (the target has `or` and has not refused it). */
  readonly batchLookups: boolean;
  /** Whether creates may go through `POST /Bulk` (the target has Bulk and has not refused it). */
  readonly bulk: boolean;
  readonly signal: AbortSignal;
  /** Makes the `creating` marks durable (one transaction); called before any create is sent. */
  markCreating(links: readonly SavedLink[]): Promise<void>;
}

export interface CreatePageOutcome {
  /** How each candidate that went the quick way to the end came out. */
  readonly results: Map<string, ReconcileResult>;
  /** Candidates for `reconcileUser`: an account matched, or the batched lookup was refused or failed. */
  readonly delegated: string[];
  /** Candidates left untouched because the job was stopped: hand them back to their own jobs. */
  readonly unsent: string[];
  /** The links of the accounts created, to save when the page commits. */
  readonly links: SavedLink[];
  /** Failed requests (a lookup or a Bulk request counts once, whatever the number of users in it). */
  readonly requestErrors: ScimClientError[];
  /** What the target refused: do not ask it that way again. */
  readonly refused: { readonly batchLookups: boolean; readonly bulk: boolean };
}

/**
 * The create half of `reconcileUser` for a page of users at once, with the same promises: each user is
 * looked up by its matching filters first (here OR-ed into one query per filter rank when the target
 * allows: when none matches, no user of that query has an account to find), every `creating` mark is
 * durable before any create is sent (so a create whose answer is lost is adopted on the retry, never
 * duplicated), and each user gets the same link, log entry and run outcome as one by one. Creates go
 * in `POST /Bulk` requests where the target has Bulk.
 */
export async function createUserPage(
  context: ReconcileContext,
  candidates: readonly CreateCandidate[],
  options: CreatePageOptions,
): Promise<CreatePageOutcome> {
  const { provisioning: p, adapter } = context;
  const results = new Map<string, ReconcileResult>();
  const delegated = new Set<string>();
  const requestErrors: ScimClientError[] = [];
  const refused = { batchLookups: false, bulk: false };
  const links: SavedLink[] = [];

  // 1. Lookups, rank by rank: a user leaves the quick way as soon as a query that holds it matches.
  let open = [...candidates];
  const ranks = Math.max(0, ...candidates.map((candidate) => candidate.filters.length));
  for (let rank = 0; rank < ranks && open.length > 0; rank++) {
    const asked = open.filter((candidate) => candidate.filters[rank] !== undefined);
    if (options.batchLookups && !refused.batchLookups) {
      /** Sends the users whose filter matches an account (or cannot be cleared) to `reconcileUser`. */
      const clear = async (group: readonly CreateCandidate[]): Promise<void> => {
        if (group.length === 0 || options.signal.aborted) return;
        const found = await adapter.findUsers(orFilter(group, rank));
        if (!found.ok) {
          requestErrors.push(found.error);
          if (!isRetryable(found.error)) refused.batchLookups = true;
        }
        if (found.ok && found.value.length === 0) return;
        if (!found.ok || group.length === 1) {
          for (const candidate of group) delegated.add(candidate.user.id);
          return;
        }
        // Some of them match: the likely ones (their filter's values appear in what was found) go one
        // by one, the others are asked again without them; halves when no one is likely.
        const documents = found.value.map((account) => JSON.stringify(account.document).toLowerCase());
        const likely = group.filter((candidate) => mentions(documents, candidate.filters[rank] as string));
        if (likely.length > 0 && likely.length < group.length) {
          for (const candidate of likely) delegated.add(candidate.user.id);
          await clear(group.filter((candidate) => !likely.includes(candidate)));
          return;
        }
        const half = Math.ceil(group.length / 2);
        await clear(group.slice(0, half));
        await clear(group.slice(half));
      };
      for (const group of lookupGroups(asked, rank)) await clear(group);
    } else {
      for (const candidate of asked) {
        if (options.signal.aborted) break;
        const found = await adapter.findUsers(candidate.filters[rank] as string);
        if (!found.ok) {
          requestErrors.push(found.error);
          const user = candidate.user.id;
          results.set(
            user,
            await failure(context, user, null, 'match', 'skipped', found.error, candidate.started),
          );
        } else if (found.value.length > 0) delegated.add(candidate.user.id);
      }
    }
    open = open.filter((candidate) => !delegated.has(candidate.user.id) && !results.has(candidate.user.id));
  }
  if (options.signal.aborted)
    return {
      results,
      delegated: [...delegated],
      unsent: open.map((candidate) => candidate.user.id),
      links,
      requestErrors,
      refused,
    };

  // 2. The marks, durable before the first create leaves.
  if (open.length > 0)
    await options.markCreating(
      open.map((candidate) => ({
        ...linkBase(p, candidate.user.id),
        accountId: null,
        state: 'creating',
        createdByUs: true,
        pushed: candidate.attributes,
        lastError: null,
      })),
    );

  // 3. The creates: in Bulk, or one by one (a Bulk the target refuses falls back to one by one).
  const created = new Map<string, AdapterResult<TargetAccount>>();
  let rest = open;
  if (options.bulk && rest.length > 0) {
    const outcome = await adapter.createUsersInBulk(rest.map((candidate) => candidate.document));
    outcome.results.forEach((result, index) => {
      const candidate = rest[index];
      if (candidate !== undefined) created.set(candidate.user.id, result);
    });
    rest = rest.slice(outcome.results.length);
    const unanswered = outcome.unanswered;
    if (unanswered !== undefined) {
      requestErrors.push(unanswered);
      if (isRetryable(unanswered) || unanswered.status === undefined) {
        // No answer: any of them may exist now. Their marks make the retry look before it creates.
        for (const candidate of rest) created.set(candidate.user.id, { ok: false, error: unanswered });
        rest = [];
      } else refused.bulk = true;
    }
  }
  const unsent: string[] = [];
  for (const candidate of rest) {
    if (options.signal.aborted) {
      unsent.push(candidate.user.id);
      continue;
    }
    created.set(candidate.user.id, await adapter.createUser(candidate.document));
  }

  // 4. Links and log entries, as `create` in reconcile-user.ts writes them.
  for (const candidate of open) {
    const { user, attributes, started } = candidate;
    const answer = created.get(user.id);
    if (answer === undefined) continue;
    if (!answer.ok) {
      results.set(user.id, await failure(context, user.id, null, 'create', 'created', answer.error, started));
      continue;
    }
    links.push({
      ...linkBase(p, user.id),
      accountId: answer.value.id,
      state: 'active',
      createdByUs: true,
      pushed: attributes,
      lastError: null,
    });
    await record(context, {
      objectId: user.id,
      accountId: answer.value.id,
      action: 'create',
      status: 'success',
      changes: createdChanges(attributes),
      started,
    });
    results.set(user.id, { outcome: 'done', action: 'created' });
  }
  return { results, delegated: [...delegated], unsent, links, requestErrors, refused };
}

/**
 * Candidates in groups whose filters of one rank, OR-ed together, fit one query (at most 100 terms and
 * 7,000 URL characters). Exported for the bench's same-requests replay.
 */
export function lookupGroups<C extends { readonly filters: readonly string[] }>(
  candidates: readonly C[],
  rank: number,
): C[][] {
  const groups: C[][] = [];
  let current: C[] = [];
  let length = 0;
  for (const candidate of candidates) {
    const termLength = encodeURIComponent(` or (${candidate.filters[rank] as string})`).length;
    if (
      current.length > 0 &&
      (current.length >= MAX_LOOKUP_TERMS || length + termLength > MAX_LOOKUP_URL_CHARS)
    ) {
      groups.push(current);
      current = [];
      length = 0;
    }
    current.push(candidate);
    length += termLength;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** `(f1) or (f2) or …`: one query for the filters of one rank. */
export function orFilter(
  candidates: readonly { readonly filters: readonly string[] }[],
  rank: number,
): string {
  return candidates.map((candidate) => `(${candidate.filters[rank] as string})`).join(' or ');
}

/**
 * Whether every quoted value of `filter` appears in one of the found documents (lower-cased JSON):
 * a guess at whose filter matched, which the next query confirms. A filter without a quoted value
 * is always a suspect.
 */
function mentions(documents: readonly string[], filter: string): boolean {
  const values = filter.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
  return (
    values.length === 0 ||
    documents.some((document) => values.every((value) => document.includes(value.toLowerCase())))
  );
}
