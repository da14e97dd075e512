import { performance } from 'node:perf_hooks';
import type { RamCleanupStep } from './delete-conflict-steps.ts';
import type { RamAccountSnapshot } from './ram-account-snapshot.ts';
import { describeCleanupStep, policyItem, type RamBlockingStateName } from './ram-blocking-states.ts';
import type { RamOpenapiClient } from './ram-openapi-client.ts';
import type { RamOpenapiError, RamOpenapiResult } from './ram-openapi-error.ts';

/** One RAM write a step made, as the provisioning log shows it. */
export interface RamCall {
  /** The RPC action, e.g. `DeleteAccessKey`. */
  readonly action: string;
  /** What it acted on: an AccessKey id, a `Type:Name` policy, a group name, `loginProfile`, an MFA serial. */
  readonly item: string;
  /** `gone`: RAM answered `EntityNotExist.*`, the item was not there any more. */
  readonly result: 'done' | 'gone' | 'failed';
  readonly durationMs: number;
  readonly error?: RamOpenapiError;
}

/** What one cleanup step did to one RAM user. */
export interface RamStepReport {
  readonly step: RamCleanupStep;
  /** The DeleteConflict state the step clears (`AccessKey`, …, `MFADevice`). */
  readonly state: RamBlockingStateName;
  readonly result: 'cleared' | 'failed';
  /** Items this step removed: AccessKey ids, `Type:Name` policies, group names, `loginProfile`, the MFA serial. */
  readonly cleared: readonly string[];
  /** Items RAM no longer had when asked (`EntityNotExist.*`): gone meanwhile, so counted as cleared. */
  readonly alreadyGone: readonly string[];
  /** Every RAM call the step made, with its result and duration. */
  readonly calls: readonly RamCall[];
  readonly durationMs: number;
  /** Why the step failed (its first refusal); the items in neither list are still there. */
  readonly error?: RamOpenapiError;
  /** Something left behind that does not block the delete (an unbound virtual MFA device RAM kept). */
  readonly warning?: string;
}

type RemovalOutcome =
  | { readonly kind: 'removed' | 'gone'; readonly warning?: string }
  | { readonly kind: 'failed'; readonly error: RamOpenapiError };

/** Makes one RAM call and records it. */
type CallRecorder = <T>(
  action: string,
  item: string,
  call: () => Promise<RamOpenapiResult<T>>,
) => Promise<RamOpenapiResult<T>>;

interface Removal {
  readonly item: string;
  remove(record: CallRecorder): Promise<RemovalOutcome>;
}

/**
 * Clears one kind of special state as the snapshot saw it, the items of the step at once. An item
 * RAM answers `EntityNotExist.*` for is gone already, which is what the step wanted. Only that code
 * family counts: another 404 (`InvalidAction.NotFound`) is a failure.
 * @see REFERENCE.md §5
 */
export async function runRamCleanupStep(
  client: RamOpenapiClient,
  userName: string,
  snapshot: RamAccountSnapshot,
  step: RamCleanupStep,
): Promise<RamStepReport> {
  const started = performance.now();
  const calls: RamCall[] = [];
  const record: CallRecorder = async <T>(
    action: string,
    item: string,
    call: () => Promise<RamOpenapiResult<T>>,
  ) => {
    const callStarted = performance.now();
    const answer = await call();
    calls.push({
      action,
      item,
      result: answer.ok ? 'done' : isGone(answer.error) ? 'gone' : 'failed',
      durationMs: since(callStarted),
      ...(answer.ok ? {} : { error: answer.error }),
    });
    return answer;
  };
  const removals = removalsOf(client, userName, snapshot, step);
  const outcomes = await Promise.all(removals.map((removal) => removal.remove(record)));
  const cleared: string[] = [];
  const alreadyGone: string[] = [];
  const warnings: string[] = [];
  let error: RamOpenapiError | undefined;
  outcomes.forEach((outcome, index) => {
    const item = removals[index]?.item ?? '';
    if (outcome.kind === 'failed') error ??= outcome.error;
    else {
      (outcome.kind === 'removed' ? cleared : alreadyGone).push(item);
      if (outcome.warning !== undefined) warnings.push(outcome.warning);
    }
  });
  return {
    step,
    state: describeCleanupStep(step).state,
    result: error === undefined ? 'cleared' : 'failed',
    cleared,
    alreadyGone,
    calls,
    durationMs: since(started),
    ...(error !== undefined ? { error } : {}),
    ...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
  };
}

/** `EntityNotExist.*`: the thing (or the user) is not there any more. */
export function isGone(error: RamOpenapiError): boolean {
  return error.code?.startsWith('EntityNotExist.') === true;
}

/** Milliseconds since a `performance.now()` reading, to a tenth. */
export function since(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function settled(answer: RamOpenapiResult<unknown>): RemovalOutcome {
  if (answer.ok) return { kind: 'removed' };
  return isGone(answer.error) ? { kind: 'gone' } : { kind: 'failed', error: answer.error };
}

function removalsOf(
  client: RamOpenapiClient,
  userName: string,
  snapshot: RamAccountSnapshot,
  step: RamCleanupStep,
): Removal[] {
  switch (step) {
    case 'accessKeys':
      return snapshot.accessKeys.map(({ accessKeyId }) => ({
        item: accessKeyId,
        remove: async (record) =>
          settled(
            await record('DeleteAccessKey', accessKeyId, () => client.deleteAccessKey(userName, accessKeyId)),
          ),
      }));
    case 'policies':
      return snapshot.policies.map(({ policyName, policyType }) => {
        const item = policyItem({ policyName, policyType });
        return {
          item,
          remove: async (record) =>
            settled(
              await record('DetachPolicyFromUser', item, () =>
                client.detachPolicyFromUser(userName, { policyName, policyType }),
              ),
            ),
        };
      });
    case 'groups':
      return snapshot.groups.map(({ groupName }) => ({
        item: groupName,
        remove: async (record) =>
          settled(
            await record('RemoveUserFromGroup', groupName, () =>
              client.removeUserFromGroup(userName, groupName),
            ),
          ),
      }));
    case 'loginProfile':
      return snapshot.loginProfile === null
        ? []
        : [
            {
              item: 'loginProfile',
              remove: async (record) =>
                settled(
                  await record('DeleteLoginProfile', 'loginProfile', () =>
                    client.deleteLoginProfile(userName),
                  ),
                ),
            },
          ];
    case 'mfaDevice': {
      const device = snapshot.mfaDevice;
      return device === null
        ? []
        : [
            {
              item: device.serialNumber,
              remove: (record) => unbindMfaDevice(client, userName, device, record),
            },
          ];
    }
  }
}

/**
 * UnbindMFADevice, then DeleteVirtualMFADevice for the virtual device it unbound: an unbound virtual
 * device is the user's TOTP seed left lying in the account. A device this call did not unbind (gone
 * meanwhile, maybe bound to someone else by now) is left alone, and so is a U2F key (not a virtual
 * device). Not deleting the device does not block DeleteUser: it is a warning, not a failure.
 */
async function unbindMfaDevice(
  client: RamOpenapiClient,
  userName: string,
  device: { serialNumber: string; type?: string | undefined },
  record: CallRecorder,
): Promise<RemovalOutcome> {
  const unbound = await record('UnbindMFADevice', device.serialNumber, () =>
    client.unbindMfaDevice(userName),
  );
  if (!unbound.ok) return settled(unbound);
  if (device.type === 'U2F') return { kind: 'removed' };
  const { serialNumber } = unbound.value;
  const deleted = await record('DeleteVirtualMFADevice', serialNumber, () =>
    client.deleteVirtualMfaDevice(serialNumber),
  );
  if (deleted.ok || isGone(deleted.error)) return { kind: 'removed' };
  return {
    kind: 'removed',
    warning:
      `the unbound virtual MFA device ${serialNumber} was kept (${deleted.error.message}): ` +
      'delete it in the RAM console or with DeleteVirtualMFADevice',
  };
}
