import type { Link } from '../engine/link-repository.ts';
import { type ReconcileContext, record } from '../engine/reconcile-outcome.ts';
import { recordSteps } from './removal-log.ts';

/**
 * A user back in scope (or enabled again) whose account was revoked natively (no disabled state on
 * the target): its groups and policies come back from the newest backup; what cannot come back
 * (access keys, login profile, MFA binding) is logged.
 */
export async function reinstateRevoked(
  context: ReconcileContext,
  link: Link & { accountId: string },
): Promise<void> {
  const { native, links } = context;
  const started = performance.now();
  const backup = await context.deprovisioning.backups.latestFor(context.provisioning.id, link.objectId);
  if (native !== undefined && backup?.native != null && backup.userName !== null) {
    const restored = await native.restoreDependents(backup.userName, backup.native);
    if (restored.ok) {
      await recordSteps(context, link, 'restore', restored.value.steps);
      await record(context, {
        objectId: link.objectId,
        accountId: link.accountId,
        action: 'enable',
        status: restored.value.notRestored.length === 0 ? 'success' : 'warning',
        message: `back in scope: restored ${restored.value.restored.join(', ') || 'nothing'} from backup ${backup.id}${
          restored.value.notRestored.length === 0
            ? ''
            : `; not restored: ${restored.value.notRestored.map((item) => `${item.what} (${item.why})`).join('; ')}`
        }`,
        started,
      });
    }
  }
  await links.save({ ...link, state: 'active', deleteAfter: null, removal: null, lastError: null });
}
