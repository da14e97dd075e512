import type { JobQueue } from '../../jobs/job-queue.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { RECONCILE_USER, reconcileKey } from '../engine/change-dispatcher.ts';
import type { CompiledProvisioning } from '../engine/compiled-provisioning.ts';
import type { DirectoryReader } from '../engine/directory-reader.ts';
import type { Link, LinkRepository } from '../engine/link-repository.ts';
import type { ProvisioningLogWriter } from '../engine/provisioning-log-writer.ts';
import type { DeprovisioningKit, ReconcileContext } from '../engine/reconcile-outcome.ts';
import type { TargetAdapters } from '../engine/target-adapters.ts';
import { ProvisioningError } from '../provisioning-error.ts';
import type { AccountBackup } from './account-backups.ts';
import { disableMeans } from './deprovision-policy.ts';
import { removeAccount, revokeAccount } from './remove-account.ts';

export interface RestoreReport {
  readonly backupId: string;
  readonly provisioningId: string;
  readonly objectId: string;
  readonly accountId: string;
  /** `active`: Lockstep manages the account again; `kept`: restored and left alone (the user is gone or out of scope). */
  readonly linkState: 'active' | 'kept';
  readonly restored: readonly string[];
  readonly notRestored: readonly { what: string; why: string }[];
  readonly durationMs: number;
}

export interface RevocationReport {
  readonly userId: string;
  readonly targets: readonly {
    readonly provisioningId: string;
    readonly targetId: string;
    readonly action: string;
    readonly outcome: 'done' | 'failed' | 'nothing-to-do';
    readonly message: string;
    readonly durationMs: number;
  }[];
  readonly durationMs: number;
}

/**
 * What an admin does about removals: the deletion guard's staged removals (approve, reject), the
 * removals waiting (blocked, in a grace period), backups and restore, and revoke-now.
 */
export function createDeprovisioningActions(dependencies: {
  storage: Storage;
  queue: JobQueue;
  kit: DeprovisioningKit;
  compiled: (provisioningId: string) => Promise<CompiledProvisioning | undefined>;
  adapters: TargetAdapters;
  links: LinkRepository;
  log: ProvisioningLogWriter;
  reader: DirectoryReader;
}) {
  const { storage, queue, kit, adapters, links, log, reader } = dependencies;

  async function requireCompiled(tenantId: string, provisioningId: string): Promise<CompiledProvisioning> {
    const p = await dependencies.compiled(provisioningId);
    if (p === undefined || p.tenantId !== tenantId)
      throw new ProvisioningError(
        'not_found',
        `Provisioning "${provisioningId}" not found in tenant "${tenantId}"`,
      );
    return p;
  }

  async function contextFor(p: CompiledProvisioning): Promise<ReconcileContext> {
    const adapter = await adapters.adapterFor(p.targetId);
    if (adapter === undefined) throw new ProvisioningError('conflict', `The target "${p.targetId}" is gone`);
    return {
      provisioning: p,
      adapter,
      links,
      log,
      runId: null,
      attempt: 1,
      maxAttempts: 1,
      native: await adapters.nativeFor(p.targetId),
      deprovisioning: kit,
    };
  }

  const reconcile = (p: CompiledProvisioning, objectIds: readonly string[]) =>
    queue.enqueue(
      objectIds.map((objectId) => ({
        kind: RECONCILE_USER,
        key: reconcileKey(p.id, 'User', objectId),
        group: p.targetId,
        payload: { provisioningId: p.id, objectId, runId: null },
      })),
    );

  return {
    /** What waits: the guard's pause and staged removals, blocked deletes, accounts in a grace period. */
    async removals(tenantId: string, provisioningId: string) {
      const p = await requireCompiled(tenantId, provisioningId);
      const pausedReason = await kit.guard.pausedReason(p.id);
      const waiting = await storage.db
        .selectFrom('links')
        .select([
          'object_id',
          'account_id',
          'state',
          'delete_after',
          'removal_state',
          'removal_detail',
          'last_error',
        ])
        .where('provisioning_id', '=', p.id)
        .where('object_type', '=', 'User')
        .where((eb) => eb.or([eb('removal_state', '=', 'blocked'), eb('delete_after', 'is not', null)]))
        .orderBy('object_id')
        .limit(1000)
        .execute();
      const detail = (value: unknown) =>
        (typeof value === 'string' ? JSON.parse(value) : (value ?? {})) as Record<string, unknown>;
      return {
        paused: pausedReason === null ? null : { reason: pausedReason },
        staged: await kit.guard.list(p.id),
        blocked: waiting
          .filter((row) => row.removal_state === 'blocked')
          .map((row) => ({
            objectId: row.object_id,
            accountId: row.account_id,
            states: detail(row.removal_detail).states ?? [],
            steps: detail(row.removal_detail).steps ?? [],
            since: detail(row.removal_detail).since ?? null,
            message: row.last_error,
          })),
        gracePeriod: waiting
          .filter((row) => row.state === 'disabled' && row.delete_after !== null)
          .map((row) => ({
            objectId: row.object_id,
            accountId: row.account_id,
            deleteAfter: row.delete_after,
          })),
      };
    },

    async approve(tenantId: string, provisioningId: string, objectIds?: readonly string[]) {
      const p = await requireCompiled(tenantId, provisioningId);
      const approved = await kit.guard.approve(p.id, objectIds);
      await reconcile(p, approved);
      return { approved: approved.length };
    },

    async reject(tenantId: string, provisioningId: string, objectIds?: readonly string[]) {
      const p = await requireCompiled(tenantId, provisioningId);
      const rejected = await kit.guard.reject(p.id, objectIds);
      return { rejected: rejected.length };
    },

    listBackups: (
      tenantId: string,
      filter: { provisioningId?: string; objectId?: string; before?: string; limit?: number },
    ) => kit.backups.list(tenantId, filter),

    async getBackup(tenantId: string, backupId: string): Promise<AccountBackup> {
      const backup = await kit.backups.find(tenantId, backupId);
      if (backup === undefined) throw new ProvisioningError('not_found', `Backup "${backupId}" not found`);
      return backup;
    },

    /**
     * Brings an account back from a backup: re-enables it if it still exists (a grace period: the
     * pending delete is cancelled), else recreates it from its SCIM document; then re-attaches what the
     * native API can (groups, policies) and lists what it cannot (secrets, MFA bindings). The link
     * is managed again when the directory still wants the user on the target, else kept.
     */
    async restore(tenantId: string, backupId: string): Promise<RestoreReport> {
      const started = performance.now();
      const backup = await this.getBackup(tenantId, backupId);
      if (backup.restoredAt !== null)
        throw new ProvisioningError(
          'conflict',
          `Backup "${backupId}" was already restored at ${backup.restoredAt}`,
        );
      const p = await dependencies.compiled(backup.provisioningId);
      if (p === undefined)
        throw new ProvisioningError(
          'conflict',
          `The provisioning "${backup.provisioningId}" of this backup is gone`,
        );
      const context = await contextFor(p);
      const link = await links.find(p.id, 'User', backup.objectId);
      const restored: string[] = [];
      const notRestored: { what: string; why: string }[] = [];
      let accountId: string;
      const existing = link?.accountId ? await context.adapter.getUser(link.accountId) : undefined;
      if (existing !== undefined && !existing.ok)
        throw new ProvisioningError('conflict', `The target could not be read: ${existing.error.message}`);
      if (link?.accountId && existing?.ok && existing.value !== undefined) {
        accountId = link.accountId;
        if (p.capabilities.hasActive) {
          const enabled = await context.adapter.updateUser(
            accountId,
            [{ op: 'replace', path: 'active', value: true }],
            { ...documentOf(backup), active: true },
          );
          if (!enabled.ok)
            throw new ProvisioningError(
              'conflict',
              `The target refused to enable the account: ${enabled.error.message}`,
            );
          restored.push('enabled the account (active = true)');
        }
        if (link.deleteAfter) restored.push(`cancelled the delete planned for ${link.deleteAfter}`);
      } else {
        const created = await context.adapter.createUser(documentOf(backup));
        if (!created.ok)
          throw new ProvisioningError(
            'conflict',
            created.error.kind === 'conflict'
              ? `An account named "${String(backup.scimDocument.userName)}" already exists on the target`
              : `The target refused to recreate the account: ${created.error.message}`,
          );
        accountId = created.value.id;
        restored.push('recreated the account from its SCIM document');
      }
      if (context.native !== undefined && backup.native !== null && backup.userName !== null) {
        const dependents = await context.native.restoreDependents(backup.userName, backup.native);
        if (!dependents.ok)
          notRestored.push({
            what: 'groups and policies',
            why: `the native API answered: ${dependents.error.message}`,
          });
        else {
          restored.push(...dependents.value.restored);
          notRestored.push(...dependents.value.notRestored);
        }
      }
      const user = await reader.readUser(p.tenantId, backup.objectId, { groups: p.scopeUsesGroups });
      const wanted =
        user !== undefined && p.status === 'enabled' && p.inScope(user) && user.doc.active !== false;
      const linkState = wanted ? 'active' : 'kept';
      await links.save({
        provisioningId: p.id,
        objectType: 'User',
        objectId: backup.objectId,
        tenantId: p.tenantId,
        accountId,
        state: linkState,
        createdByUs: link?.createdByUs ?? true,
        pushed: link?.pushed ?? {},
        lastError: null,
        deleteAfter: null,
        removal: null,
        ...(link ? { createdAt: link.createdAt } : {}),
      });
      const durationMs = performance.now() - started;
      await log.record({
        tenantId: p.tenantId,
        provisioningId: p.id,
        targetId: p.targetId,
        runId: null,
        objectType: 'User',
        objectId: backup.objectId,
        accountId,
        action: 'restore',
        status: notRestored.length === 0 ? 'success' : 'warning',
        attempt: 1,
        durationMs,
        message: `restored from backup ${backup.id}: ${restored.join('; ')}${
          notRestored.length === 0
            ? ''
            : `; not restored: ${notRestored.map((item) => `${item.what} (${item.why})`).join('; ')}`
        }${wanted ? '' : '; the user is not wanted on the target any more, so the account is kept (no longer managed)'}`,
      });
      const report: RestoreReport = {
        backupId: backup.id,
        provisioningId: p.id,
        objectId: backup.objectId,
        accountId,
        linkState,
        restored,
        notRestored,
        durationMs,
      };
      await kit.backups.markRestored(backup.id, { ...report });
      if (wanted) await reconcile(p, [backup.objectId]);
      return report;
    },

    /**
     * Takes a user's access away everywhere at once: disabled in the directory first, then on every
     * linked target the profile's immediate revocation (disable, native revocation, or delete where
     * neither exists), in parallel, with a backup each. The deletion guard does not apply: one user,
     * by an admin's explicit command.
     */
    async revokeNow(
      tenantId: string,
      userId: string,
      disableInDirectory: () => Promise<void>,
      provisioningIds: readonly string[],
    ): Promise<RevocationReport> {
      const started = performance.now();
      await disableInDirectory();
      const targets = await Promise.all(
        provisioningIds.map(async (provisioningId) => {
          const begun = performance.now();
          const found = await dependencies.compiled(provisioningId);
          const p = found?.tenantId === tenantId ? found : undefined;
          const link = p === undefined ? undefined : await links.find(p.id, 'User', userId);
          if (p === undefined || link === undefined || !isLive(link) || link.accountId === null)
            return {
              provisioningId,
              targetId: p?.targetId ?? '',
              action: 'none',
              outcome: 'nothing-to-do' as const,
              message: 'no account on this target',
              durationMs: performance.now() - begun,
            };
          const context = await contextFor(p);
          const means = disableMeans({
            hasActive: p.capabilities.hasActive,
            hasNativeApi: context.native !== undefined,
          });
          const current = { ...link, accountId: link.accountId };
          if (means === 'active-false' && link.state === 'disabled')
            return {
              provisioningId,
              targetId: p.targetId,
              action: 'disable',
              outcome: 'nothing-to-do' as const,
              message: 'the account was already disabled',
              durationMs: performance.now() - begun,
            };
          const result =
            means === 'delete'
              ? await removeAccount(context, current, 'revoked now by an admin')
              : await revokeAccount(context, current, 'revoked now by an admin', means, null);
          return {
            provisioningId,
            targetId: p.targetId,
            action: means === 'delete' ? 'delete' : means === 'native-revoke' ? 'revoke' : 'disable',
            outcome: result.outcome === 'done' ? ('done' as const) : ('failed' as const),
            message: result.outcome === 'done' ? 'access revoked' : result.error,
            durationMs: performance.now() - begun,
          };
        }),
      );
      return { userId, targets, durationMs: performance.now() - started };
    },
  };
}

export type DeprovisioningActions = ReturnType<typeof createDeprovisioningActions>;

function isLive(link: Link): boolean {
  return link.state === 'creating' || link.state === 'active' || link.state === 'disabled';
}

/** The backed-up SCIM document as a create body: no server-made id or meta. */
function documentOf(backup: AccountBackup): Record<string, unknown> {
  const { id: _id, meta: _meta, ...rest } = backup.scimDocument as Record<string, unknown>;
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], ...rest };
}
