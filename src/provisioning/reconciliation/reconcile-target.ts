import { setTimeout as sleep } from 'node:timers/promises';
import { listAllUsers } from '../../targets/adapters/list-target-users.ts';
import type { AdapterResult, ScimTargetAdapter } from '../../targets/adapters/scim-target-adapter.ts';
import type { ScimClientError } from '../../targets/scim-client/scim-client-error.ts';
import type { CompiledProvisioning } from '../engine/compiled-provisioning.ts';
import type { DirectoryReader } from '../engine/directory-reader.ts';
import type { LinkRepository } from '../engine/link-repository.ts';
import { type AttributeDrift, compareAccount, sameValue } from './compare-account.ts';
import type { FindingRepository, NewFinding } from './finding-repository.ts';
import {
  type AccountLink,
  LIVE_STATES,
  type ReconciliationLinkQueries,
} from './reconciliation-link-queries.ts';
import type { ReconciliationProgress } from './reconciliation-types.ts';

const LINK_PAGE = 500;
const MAX_TRIES = 5;
const MAX_WAIT_MS = 30_000;

export interface ReconcileTargetDependencies {
  readonly provisioning: CompiledProvisioning;
  readonly adapter: ScimTargetAdapter;
  readonly reader: DirectoryReader;
  readonly links: LinkRepository;
  readonly linkQueries: ReconciliationLinkQueries;
  readonly findings: FindingRepository;
  /** Called after every page (of accounts, then of links) with the progress so far. */
  readonly onProgress: (progress: ReconciliationProgress) => Promise<void>;
  /** Aborted when the worker stops: the run stops between pages (and starts over when run again). */
  readonly signal?: AbortSignal;
  /** Accounts per page; the profile's largest page when absent. */
  readonly pageSize?: number;
  /** The wait between tries of a request the target failed for a passing reason (tests shorten it). */
  readonly wait?: (ms: number) => Promise<unknown>;
}

export type ReconcileTargetResult =
  | { readonly ok: true; readonly progress: ReconciliationProgress }
  | { readonly ok: false; readonly error: string; readonly progress: ReconciliationProgress };

type Account = { readonly id: string; readonly document: Readonly<Record<string, unknown>> };

/**
 * Reads a provisioning's target back and compares it with the links and the desired state, storing
 * what it finds (see reconciliation-types.ts for the kinds). Two passes:
 * 1. every account the target lists, page by page: an account this provisioning links (live) is
 *    checked for drift against what the mapping gives now; one that another provisioning of the same
 *    target links is that one's; one that a create in flight may have made is left alone; any other
 *    is an orphan (with the link that used to point to it, `kept` or `deleted`, when there is one);
 * 2. every live link whose account the listing did not show: read by id — gone is `missing` (when
 *    the link still says so afterwards), found is checked for drift.
 * Nothing is written to the target. A listing the target fails ends the run with an error; a single
 * account that cannot be read is counted `unchecked`.
 */
export async function reconcileTarget(
  dependencies: ReconcileTargetDependencies,
  run: { readonly id: string; readonly tenantId: string; readonly provisioningId: string },
  trigger: ReconciliationProgress['trigger'],
): Promise<ReconcileTargetResult> {
  const { provisioning: p, adapter, reader, links, linkQueries, findings } = dependencies;
  const wait = dependencies.wait ?? sleep;
  const progress: { -readonly [K in keyof ReconciliationProgress]: ReconciliationProgress[K] } = {
    trigger,
    accountsListed: 0,
    pages: 0,
    linksChecked: 0,
    complete: true,
    unchecked: 0,
  };
  const listed = new Set<string>();

  async function retrying<T>(call: () => Promise<AdapterResult<T>>): Promise<AdapterResult<T>> {
    for (let attempt = 1; ; attempt++) {
      const result = await call();
      if (result.ok || attempt >= MAX_TRIES || !isPassing(result.error)) return result;
      await wait(Math.min(result.error.retryAfterMs ?? 250 * 2 ** attempt, MAX_WAIT_MS));
    }
  }

  /** Drift of an account this provisioning links, or undefined when it is as it should be. */
  async function checkDrift(link: AccountLink, account: Account): Promise<NewFinding | undefined> {
    if (link.state === 'creating') return undefined;
    const user = await reader.readUser(run.tenantId, link.objectId, { groups: p.scopeUsesGroups });
    const described = describe(account);
    const absent =
      user === undefined
        ? link.objectId.startsWith('orphan:')
          ? 'it is being deprovisioned as an orphan'
          : 'its directory user is deleted'
        : !p.inScope(user)
          ? 'its directory user is out of scope'
          : user.doc.active === false && !p.capabilities.hasActive
            ? 'its directory user is disabled and the target has no disabled state'
            : undefined;
    if (absent !== undefined || user === undefined) {
      // The engine removes such accounts; one still there on an enabled provisioning was left behind.
      if (p.status !== 'enabled' || link.state !== 'active') return undefined;
      return {
        kind: 'drift',
        ...described,
        objectId: link.objectId,
        details: { reason: `the account should be gone: ${absent}`, expectedAbsent: true },
      };
    }
    const projection = p.project(user, 'update');
    // A mapping that fails for this user is the engine's to report (provisioning log, events).
    if (!projection.ok) return undefined;
    const drifts: AttributeDrift[] = compareAccount(account.document, projection.attributes, p.capabilities);
    const mapsActive = Object.keys(projection.attributes).some((path) => path.toLowerCase() === 'active');
    if (p.capabilities.hasActive && !mapsActive && account.document.active !== undefined) {
      const desired = user.doc.active !== false;
      if (!sameValue(account.document.active, desired, false))
        drifts.push({ attribute: 'active', target: account.document.active, desired });
    }
    if (drifts.length === 0) return undefined;
    return {
      kind: 'drift',
      ...described,
      objectId: link.objectId,
      details: {
        reason: `${drifts.length} mapped attribute${drifts.length === 1 ? '' : 's'} differ${drifts.length === 1 ? 's' : ''} from what the mapping gives now`,
        attributes: drifts,
      },
    };
  }

  async function classify(accounts: readonly Account[]): Promise<NewFinding[]> {
    const found: NewFinding[] = [];
    const byAccount = new Map<string, AccountLink[]>();
    for (const link of await linkQueries.linksToAccounts(
      p.targetId,
      accounts.map((account) => account.id),
    ))
      byAccount.set(link.accountId, [...(byAccount.get(link.accountId) ?? []), link]);
    const creating = await linkQueries.namesBeingCreated(p.id);
    for (const account of accounts) {
      const all = byAccount.get(account.id) ?? [];
      const own = all.filter((link) => link.provisioningId === p.id);
      const live = own.find((link) => LIVE_STATES.includes(link.state));
      if (live !== undefined) {
        listed.add(account.id);
        const drift = await checkDrift(live, account);
        if (drift !== undefined) found.push(drift);
        continue;
      }
      if (all.some((link) => LIVE_STATES.includes(link.state))) continue;
      const described = describe(account);
      if (described.userName !== null && creating.has(described.userName.toLowerCase())) continue;
      const left = own.find((link) => link.state === 'kept') ?? own.find((link) => link.state === 'deleted');
      const suggested =
        left === undefined && described.externalId !== null
          ? await reader.readUser(run.tenantId, described.externalId, { groups: false })
          : undefined;
      found.push({
        kind: 'orphan',
        ...described,
        objectId: left?.objectId ?? null,
        details: {
          reason:
            left?.state === 'kept'
              ? 'the account was kept when its link ended: nothing tracks it any more'
              : left?.state === 'deleted'
                ? 'its link says the account was deleted, but it is still there'
                : 'no link points to this account (made by hand, or by another system)',
          ...(left !== undefined ? { linkState: left.state } : {}),
          ...(suggested !== undefined ? { suggestedObjectId: suggested.id } : {}),
        },
      });
    }
    return found;
  }

  const listing = listAllUsers(
    (position, options) =>
      retrying(() =>
        adapter.listUsers(position, {
          ...options,
          ...(dependencies.pageSize !== undefined ? { pageSize: dependencies.pageSize } : {}),
        }),
      ),
    dependencies.pageSize !== undefined ? { pageSize: dependencies.pageSize } : {},
  );
  for await (const page of listing) {
    dependencies.signal?.throwIfAborted();
    if (!page.ok)
      return { ok: false, error: `Listing the target's users failed: ${page.error.message}`, progress };
    progress.pages++;
    progress.accountsListed += page.value.accounts.length;
    if (!page.value.complete) progress.complete = false;
    await findings.insert(run, await classify(page.value.accounts));
    await dependencies.onProgress({ ...progress });
  }

  for (let after = ''; ; ) {
    dependencies.signal?.throwIfAborted();
    const page = await links.listLive(p.id, 'User', after, LINK_PAGE);
    const found: NewFinding[] = [];
    for (const link of page) {
      progress.linksChecked++;
      const accountId = link.accountId;
      if (accountId === null || listed.has(accountId)) continue;
      const read = await retrying(() => adapter.getUser(accountId));
      if (!read.ok) {
        progress.unchecked++;
        continue;
      }
      if (read.value !== undefined) {
        const drift = await checkDrift({ ...link, accountId }, read.value);
        if (drift !== undefined) found.push(drift);
        continue;
      }
      // Gone, unless the engine removed it meanwhile (the link then says so).
      const now = await links.find(p.id, 'User', link.objectId);
      if (now === undefined || now.accountId !== accountId || !LIVE_STATES.includes(now.state)) continue;
      found.push({
        kind: 'missing',
        accountId,
        userName: text(link.pushed.userName),
        externalId: text(link.pushed.externalId),
        objectId: link.objectId,
        details: { reason: 'the link is live but the account is gone on the target', linkState: link.state },
      });
    }
    await findings.insert(run, found);
    await dependencies.onProgress({ ...progress });
    const last = page[page.length - 1];
    if (page.length < LINK_PAGE || last === undefined) break;
    after = last.objectId;
  }
  return { ok: true, progress };
}

/** The account's names as the target reports them. */
function describe(account: Account): {
  accountId: string;
  userName: string | null;
  externalId: string | null;
} {
  return {
    accountId: account.id,
    userName: text(account.document.userName),
    externalId: text(account.document.externalId),
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Failures worth another try soon: the target is busy, restarting or unreachable for a moment. */
function isPassing(error: ScimClientError): boolean {
  return (
    ['unreachable', 'timeout', 'rate_limited', 'server_error'].includes(error.kind) && error.status !== 501
  );
}
