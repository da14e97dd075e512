import { performance } from 'node:perf_hooks';
import { isUserAbsent, type RamAccountSnapshot } from './ram-account-snapshot.ts';
import { policyItem } from './ram-blocking-states.ts';
import { type RamCall, since } from './ram-cleanup-step.ts';
import type { RamOpenapiClient } from './ram-openapi-client.ts';
import type { RamOpenapiError, RamOpenapiResult } from './ram-openapi-error.ts';

export type RamDependentKind = 'group' | 'policy' | 'accessKey' | 'loginProfile' | 'mfaDevice';

export interface RamRestoredItem {
  readonly kind: 'group' | 'policy';
  /** A group name, or a policy as `Type:Name`. */
  readonly what: string;
}

export interface RamNotRestoredItem {
  readonly kind: RamDependentKind;
  /** The item as the snapshot names it (an AccessKey id, `loginProfile`, an MFA serial, …). */
  readonly what: string;
  readonly why: string;
  /** RAM's refusal, when RAM refused (absent for what cannot be restored at all). */
  readonly error?: RamOpenapiError;
}

export interface RamRestoreReport {
  readonly restored: readonly RamRestoredItem[];
  readonly notRestored: readonly RamNotRestoredItem[];
  /** Every RAM call made, with its result and duration. */
  readonly calls: readonly RamCall[];
  readonly durationMs: number;
}

/**
 * Re-adds what can be re-added to a RAM user that exists again (the engine recreates it first):
 * group memberships (AddUserToGroup) and attached policies (AttachPolicyToUser); one already there
 * counts as restored, so a retry is harmless. AccessKeys, the console password and the MFA binding
 * are secrets or need the person, so they are listed, with why, as not restored. Fails only when the
 * user does not exist (`EntityNotExist.User`).
 */
export async function restoreRamDependents(
  client: RamOpenapiClient,
  userName: string,
  snapshot: RamAccountSnapshot,
): Promise<RamOpenapiResult<RamRestoreReport>> {
  const started = performance.now();
  const calls: RamCall[] = [];
  const timed = async (action: string, item: string, call: () => Promise<RamOpenapiResult<void>>) => {
    const callStarted = performance.now();
    const answer = await call();
    calls.push({
      action,
      item,
      result: answer.ok || isAlreadyThere(answer.error) ? 'done' : 'failed',
      durationMs: since(callStarted),
      ...(answer.ok ? {} : { error: answer.error }),
    });
    return answer;
  };
  const groups = snapshot.groups.map(async ({ groupName }) => ({
    kind: 'group' as const,
    what: groupName,
    answer: await timed('AddUserToGroup', groupName, () => client.addUserToGroup(userName, groupName)),
  }));
  const policies = snapshot.policies.map(async ({ policyName, policyType }) => {
    const what = policyItem({ policyName, policyType });
    return {
      kind: 'policy' as const,
      what,
      answer: await timed('AttachPolicyToUser', what, () =>
        client.attachPolicyToUser(userName, { policyName, policyType }),
      ),
    };
  });
  const answers = await Promise.all([...groups, ...policies]);
  const absent = answers.find(({ answer }) => !answer.ok && isUserAbsent(answer.error));
  if (absent !== undefined && !absent.answer.ok) return { ok: false, error: absent.answer.error };

  const restored: RamRestoredItem[] = [];
  const notRestored: RamNotRestoredItem[] = [];
  for (const { kind, what, answer } of answers) {
    if (answer.ok || isAlreadyThere(answer.error)) restored.push({ kind, what });
    else notRestored.push({ kind, what, why: explainRefusal(kind, answer.error), error: answer.error });
  }
  notRestored.push(...unrestorable(snapshot));
  return {
    ok: true,
    value: { restored, notRestored, calls, durationMs: since(started) },
  };
}

/** `EntityAlreadyExists.User.Group` / `.Policy`: restored already (a retry, or someone else). */
function isAlreadyThere(error: RamOpenapiError): boolean {
  return error.code?.startsWith('EntityAlreadyExists.User.') === true;
}

function explainRefusal(kind: 'group' | 'policy', error: RamOpenapiError): string {
  if (kind === 'group' && error.code === 'EntityNotExist.Group')
    return 'the group no longer exists in the RAM account';
  if (kind === 'policy' && error.code === 'EntityNotExist.Policy')
    return 'the policy no longer exists in the RAM account';
  return error.message;
}

/** What no API call can give back, and why. */
function unrestorable(snapshot: RamAccountSnapshot): RamNotRestoredItem[] {
  const userName = snapshot.user.userName;
  const items: RamNotRestoredItem[] = snapshot.accessKeys.map((key) => ({
    kind: 'accessKey',
    what: key.accessKeyId,
    why:
      'RAM shows an AccessKey secret only when the key is created: a new key (CreateAccessKey) is a new ' +
      'credential for its holder',
  }));
  if (snapshot.loginProfile !== null)
    items.push({
      kind: 'loginProfile',
      what: 'loginProfile',
      why:
        `the console password of user ${userName} cannot be read back: give a new one with CreateLoginProfile ` +
        `(it had passwordResetRequired=${snapshot.loginProfile.passwordResetRequired ?? false}, ` +
        `mfaBindRequired=${snapshot.loginProfile.mfaBindRequired ?? false})`,
    });
  if (snapshot.mfaDevice !== null)
    items.push({
      kind: 'mfaDevice',
      what: snapshot.mfaDevice.serialNumber,
      why: `binding an MFA device takes two codes from the person's authenticator: user ${userName} binds one again`,
    });
  return items;
}
