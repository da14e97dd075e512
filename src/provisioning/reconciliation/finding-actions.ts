import type { Storage } from '../../storage/open-storage.ts';
import type { DirectoryReader } from '../engine/directory-reader.ts';
import type { LinkRepository } from '../engine/link-repository.ts';
import type { TargetAdapters } from '../engine/target-adapters.ts';
import { ProvisioningError } from '../provisioning-error.ts';
import type { ProvisioningService } from '../provisioning-service.ts';
import { findMatchingUser } from './find-matching-user.ts';
import type { FindingRepository } from './finding-repository.ts';
import { LIVE_STATES, type ReconciliationLinkQueries } from './reconciliation-link-queries.ts';
import type { FindingAction, FindingView } from './reconciliation-types.ts';

/** The engine's way to bring one object to its desired state now (`ProvisioningEngine.retryObject`). */
export type RetryObject = (
  tenantId: string,
  provisioningId: string,
  objectType: 'User',
  objectId: string,
) => Promise<void>;

export interface FindingActionDependencies {
  readonly storage: Storage;
  readonly provisionings: ProvisioningService;
  readonly adapters: TargetAdapters;
  readonly reader: DirectoryReader;
  readonly links: LinkRepository;
  readonly linkQueries: ReconciliationLinkQueries;
  readonly findings: FindingRepository;
  readonly retryObject: RetryObject;
}

/** The link id under which the engine deprovisions an orphan (the contract with deprovisioning). */
export const orphanObjectId = (accountId: string) => `orphan:${accountId}`;

/**
 * What an admin may do with a finding:
 * - `adopt` (orphan): link the account to the directory user named, or found by the matching
 *   attributes, then reconcile that user, which brings the account to the desired state;
 * - `deprovision` (orphan): link the account under `orphan:<accountId>` (no directory user has that
 *   id), then reconcile it: the engine deprovisions it by the provisioning's policy, backup and
 *   cleanup included;
 * - `repair` (missing, drift): make the link say what the target really holds (the account gone, or
 *   its differing values), then reconcile the user: the engine creates the account again or sends
 *   what differs (or removes an account that should be gone);
 * - `ignore` (any): remembered, so later runs list that account's finding of that kind as ignored.
 * A finding already acted on, or one the world has moved past (the account linked or gone meanwhile),
 * is refused with `conflict`.
 */
export function createFindingActions(dependencies: FindingActionDependencies) {
  const { provisionings, adapters, links, linkQueries, findings } = dependencies;

  async function load(finding: FindingView) {
    const loaded = await provisionings.compiled(finding.provisioningId);
    if (loaded === undefined)
      throw new ProvisioningError('not_found', `Provisioning "${finding.provisioningId}" not found`);
    return loaded;
  }

  async function requireEnabled(finding: FindingView, what: string) {
    const loaded = await load(finding);
    if (loaded.compiled.status !== 'enabled')
      throw new ProvisioningError(
        'conflict',
        `Provisioning "${finding.provisioningId}" is ${loaded.compiled.status}: enable it before ${what}`,
      );
    return loaded;
  }

  /** The account as the target shows it now; a conflict when it is gone or already linked. */
  async function readOrphan(finding: FindingView) {
    const loaded = await load(finding);
    const adapter = await adapters.adapterFor(loaded.compiled.targetId);
    if (adapter === undefined)
      throw new ProvisioningError(
        'conflict',
        `The target of provisioning "${finding.provisioningId}" is gone`,
      );
    const read = await adapter.getUser(finding.accountId);
    if (!read.ok)
      throw new ProvisioningError('conflict', `The target could not be read: ${read.error.message}`);
    if (read.value === undefined)
      throw new ProvisioningError('conflict', `Account "${finding.accountId}" is gone from the target`);
    const linked = (await linkQueries.linksToAccounts(loaded.compiled.targetId, [finding.accountId])).find(
      (link) => LIVE_STATES.includes(link.state),
    );
    if (linked !== undefined)
      throw new ProvisioningError(
        'conflict',
        `Account "${finding.accountId}" is linked to "${linked.objectId}" now: run the reconciliation again`,
      );
    return { loaded, account: read.value };
  }

  async function adopt(finding: FindingView, objectId: string | undefined): Promise<string> {
    const { compiled, config } = await requireEnabled(finding, 'adopting');
    const { account } = await readOrphan(finding);
    let userId = objectId;
    if (userId === undefined) {
      const found = await findMatchingUser(dependencies, compiled, config.matching, account.document);
      if (!found.ok) throw new ProvisioningError('conflict', found.message);
      userId = found.user.id;
    }
    const user = await dependencies.reader.readUser(compiled.tenantId, userId, {
      groups: compiled.scopeUsesGroups,
    });
    if (user === undefined)
      throw new ProvisioningError(
        'not_found',
        `User "${userId}" not found in tenant "${compiled.tenantId}"`,
        {
          field: 'objectId',
        },
      );
    if (!compiled.inScope(user))
      throw new ProvisioningError(
        'conflict',
        `User "${userId}" is out of the provisioning's scope: adopting would deprovision the account`,
      );
    const existing = await links.find(compiled.id, 'User', userId);
    if (
      existing !== undefined &&
      LIVE_STATES.includes(existing.state) &&
      existing.accountId !== finding.accountId
    )
      throw new ProvisioningError(
        'conflict',
        existing.accountId === null
          ? `User "${userId}" has an account being created`
          : `User "${userId}" is already linked to account "${existing.accountId}"`,
      );
    // Nothing pushed yet: the reconcile that follows sends every mapped attribute.
    await links.save({
      provisioningId: compiled.id,
      objectType: 'User',
      objectId: userId,
      tenantId: compiled.tenantId,
      accountId: finding.accountId,
      state: 'active',
      createdByUs: false,
      pushed: {},
      lastError: null,
      ...(existing !== undefined ? { createdAt: existing.createdAt } : {}),
    });
    await dependencies.retryObject(compiled.tenantId, compiled.id, 'User', userId);
    return userId;
  }

  async function deprovision(finding: FindingView): Promise<string> {
    const { loaded, account } = await readOrphan(finding);
    const objectId = orphanObjectId(finding.accountId);
    const document = account.document;
    // What the account holds, for a deprovisioning that disables (a PUT needs the whole account).
    const pushed = Object.fromEntries(
      ['userName', 'displayName', 'externalId']
        .filter((name) => typeof document[name] === 'string')
        .map((name) => [name, document[name]]),
    );
    await links.save({
      provisioningId: loaded.compiled.id,
      objectType: 'User',
      objectId,
      tenantId: loaded.compiled.tenantId,
      accountId: finding.accountId,
      state: 'active',
      createdByUs: false,
      pushed,
      lastError: null,
    });
    await dependencies.retryObject(loaded.compiled.tenantId, loaded.compiled.id, 'User', objectId);
    return objectId;
  }

  async function repair(finding: FindingView): Promise<string> {
    const { compiled } = await requireEnabled(finding, 'repairing');
    const objectId = finding.objectId;
    if (objectId === null) throw new ProvisioningError('conflict', 'The finding names no directory object');
    const link = await links.find(compiled.id, 'User', objectId);
    if (link === undefined || link.accountId !== finding.accountId || !LIVE_STATES.includes(link.state))
      throw new ProvisioningError(
        'conflict',
        `The link of "${objectId}" changed since the reconciliation: run it again`,
      );
    if (finding.kind === 'missing')
      // As the engine records an account that vanished: it creates (or finds) the account again.
      await links.save({
        ...link,
        accountId: null,
        state: 'deleted',
        pushed: {},
        lastError: 'the account was gone on the target (reconciliation)',
      });
    else if (finding.details.attributes !== undefined) {
      // The link remembers the target's values, so the engine sends what differs.
      const observed = Object.fromEntries(
        finding.details.attributes.map((drift) => [drift.attribute, drift.target]),
      );
      // `active` is followed through the link's state, not its pushed values.
      const active = finding.details.attributes.find((drift) => drift.attribute.toLowerCase() === 'active');
      const targetActive = active === undefined ? undefined : String(active.target).toLowerCase() !== 'false';
      await links.save({
        ...link,
        pushed: { ...link.pushed, ...observed },
        ...(targetActive !== undefined && link.state !== 'creating'
          ? { state: targetActive ? 'active' : 'disabled' }
          : {}),
      });
    }
    await dependencies.retryObject(compiled.tenantId, compiled.id, 'User', objectId);
    return objectId;
  }

  return {
    async act(finding: FindingView, action: FindingAction, objectId?: string): Promise<FindingView> {
      if (finding.status === 'actioned')
        throw new ProvisioningError(
          'conflict',
          `Finding "${finding.id}" was already acted on (${finding.action})`,
        );
      if ((action === 'adopt' || action === 'deprovision') && finding.kind !== 'orphan')
        throw new ProvisioningError(
          'conflict',
          `Only an orphan can be ${action === 'adopt' ? 'adopted' : 'deprovisioned'}; this is ${finding.kind}`,
        );
      if (action === 'repair' && finding.kind === 'orphan')
        throw new ProvisioningError('conflict', 'An orphan has no link to repair: adopt or deprovision it');
      if (objectId !== undefined && action !== 'adopt')
        throw new ProvisioningError('invalid', 'objectId is for adopt only', { field: 'objectId' });
      let acted: string | null = null;
      if (action === 'adopt') acted = await adopt(finding, objectId);
      else if (action === 'deprovision') acted = await deprovision(finding);
      else if (action === 'repair') acted = await repair(finding);
      const updated = await findings.markActed(finding, action, acted);
      if (updated === undefined)
        throw new ProvisioningError('not_found', `Finding "${finding.id}" not found`);
      return updated;
    },
  };
}

export type FindingActions = ReturnType<typeof createFindingActions>;
