import { randomBytes } from 'node:crypto';
import type { RamCleanupStep } from './delete-conflict-steps.ts';
import type { RamOpenapiClient } from './ram-openapi-client.ts';
import type { RamOpenapiError, RamOpenapiResult } from './ram-openapi-error.ts';
import {
  RAM_PERMISSION_PROBES,
  type RamPermissionProbe,
  type RamProbeNames,
} from './ram-permission-probes.ts';

export interface RamPermissionCheck {
  /** The RAM policy action, e.g. `ram:UnbindMFADevice`. */
  readonly action: string;
  /** The cleanup step that needs it; `user` for GetUser and DeleteUser. */
  readonly step: RamCleanupStep | 'user';
  /** `unknown`: RAM's answer proved neither (throttled, a server error, not checked, …). */
  readonly result: 'allowed' | 'missing' | 'unknown';
  /** One line for people: what the AccessKey may or may not do, and what follows. */
  readonly message: string;
}

/**
 * - `ok`: every action needed is allowed;
 * - `missing_permissions`: RAM refused at least one (`missing` names them);
 * - `invalid_credentials`: RAM refused the AccessKey itself (unknown id, wrong secret, disabled key);
 * - `unreachable`: no answer from the endpoint;
 * - `inconclusive`: answers that prove neither, and nothing found missing.
 */
export type RamPermissionStatus =
  | 'ok'
  | 'missing_permissions'
  | 'invalid_credentials'
  | 'unreachable'
  | 'inconclusive';

export interface RamPermissionReport {
  readonly ok: boolean;
  readonly status: RamPermissionStatus;
  /** One line for people. */
  readonly summary: string;
  readonly checks: readonly RamPermissionCheck[];
  /** The policy actions refused, e.g. `['ram:UnbindMFADevice']`, in the cascade's order. */
  readonly missing: readonly string[];
}

export interface RamPermissionCheckOptions {
  /**
   * The Alibaba Cloud account id, for the virtual MFA device serial the DeleteVirtualMFADevice probe
   * names (`acs:ram::<accountId>:mfa/…`). Without it the serial names a placeholder account; how RAM
   * answers a serial of another account is *unverified*.
   */
  readonly accountId?: string;
  /** The user name the probes name; `lockstep-permission-probe-<16 random hex digits>` unless given. */
  readonly probeName?: string;
}

const PLACEHOLDER_ACCOUNT_ID = '1000000000000000';

/**
 * Verifies, without changing anything in RAM, that the credentials behind `client` may run every
 * action a deprovisioning needs: GetUser and DeleteUser, the reads of every kind of dependent (a
 * backup reads them all, whatever the policy allows) and the writes of each cleanup step in
 * `steps`. Each action is called against names that cannot exist (a random
 * `lockstep-permission-probe-…` user, group, policy, AccessKey and MFA device): RAM checks the
 * permission before it looks anything up, so `EntityNotExist.*` means allowed and
 * `NoPermission` / `Forbidden*` means missing. GetUser goes first: wrong credentials or an
 * unreachable endpoint stop the check there, and if the probe user somehow exists no write is sent.
 */
export async function checkRamCleanupPermissions(
  client: RamOpenapiClient,
  steps: readonly RamCleanupStep[],
  options: RamPermissionCheckOptions = {},
): Promise<RamPermissionReport> {
  const names = createProbeNames(
    options.probeName ?? `lockstep-permission-probe-${randomBytes(8).toString('hex')}`,
    options.accountId ?? PLACEHOLDER_ACCOUNT_ID,
  );
  const probes = RAM_PERMISSION_PROBES.filter(
    (probe) => probe.access === 'read' || probe.step === 'user' || steps.includes(probe.step),
  );
  const answers = new Map<RamPermissionProbe, RamOpenapiResult<unknown>>();
  const run = async (batch: readonly RamPermissionProbe[]) => {
    const results = await Promise.all(batch.map((probe) => probe.call(client, names)));
    for (const [index, probe] of batch.entries()) {
      answers.set(probe, results[index] as RamOpenapiResult<unknown>);
    }
  };

  const [first, ...rest] = probes;
  if (first !== undefined) await run([first]);
  const gate = first === undefined ? undefined : answers.get(first);
  if (
    gate !== undefined &&
    !gate.ok &&
    (gate.error.kind === 'unauthenticated' || gate.error.kind === 'unreachable')
  ) {
    return stopped(probes, gate.error);
  }
  await run(rest.filter((probe) => probe.access === 'read'));
  const exists = [...answers.values()].some((answer) => answer.ok && answer.value !== null);
  if (!exists) await run(rest.filter((probe) => probe.access === 'write'));

  const checks = probes.map((probe): RamPermissionCheck => {
    const answer = answers.get(probe);
    const base = { action: `ram:${probe.action}`, step: probe.step };
    if (answer === undefined) {
      return {
        ...base,
        result: 'unknown',
        message: `not checked: the probe user ${names.userName} exists in RAM, so no write was sent`,
      };
    }
    return { ...base, ...interpret(probe, answer) };
  });
  return report(checks, exists ? names.userName : undefined);
}

function createProbeNames(name: string, accountId: string): RamProbeNames {
  return {
    userName: name,
    accessKeyId: `LTAI${randomBytes(10).toString('hex')}`,
    groupName: name,
    policyName: name,
    serialNumber: `acs:ram::${accountId}:mfa/${name}`,
  };
}

/** What one answer proves about one action. */
function interpret(
  probe: RamPermissionProbe,
  answer: RamOpenapiResult<unknown>,
): Pick<RamPermissionCheck, 'result' | 'message'> {
  const action = `ram:${probe.action}`;
  // A success proves the permission too (a read of a user that, against all odds, exists).
  if (answer.ok || answer.error.code?.startsWith('EntityNotExist.') === true) {
    return { result: 'allowed', message: `the AccessKey may call ${action}` };
  }
  if (answer.error.kind === 'forbidden') {
    return { result: 'missing', message: `the AccessKey may not call ${action}: ${probe.withoutIt}` };
  }
  return { result: 'unknown', message: `could not check ${action}: ${answer.error.message}` };
}

/** Wrong credentials or no answer: nothing can be checked. */
function stopped(probes: readonly RamPermissionProbe[], error: RamOpenapiError): RamPermissionReport {
  const unreachable = error.kind === 'unreachable';
  const summary = unreachable
    ? `RAM's OpenAPI did not answer (${error.code ?? 'network error'}): check the endpoint and the network`
    : `RAM refused the AccessKey (${error.code ?? error.status}): check the AccessKey id and secret, and that the key is enabled`;
  return {
    ok: false,
    status: unreachable ? 'unreachable' : 'invalid_credentials',
    summary,
    checks: probes.map((probe) => ({
      action: `ram:${probe.action}`,
      step: probe.step,
      result: 'unknown',
      message: `not checked: ${summary}`,
    })),
    missing: [],
  };
}

/** `existingProbe`: the probe user that turned out to exist, so no write was sent. */
function report(
  checks: readonly RamPermissionCheck[],
  existingProbe: string | undefined,
): RamPermissionReport {
  const missing = checks.filter((check) => check.result === 'missing').map((check) => check.action);
  const unknown = checks.filter((check) => check.result === 'unknown').length;
  const status: RamPermissionStatus =
    missing.length > 0 ? 'missing_permissions' : unknown > 0 ? 'inconclusive' : 'ok';
  const summary =
    status === 'ok'
      ? `the AccessKey may run every RAM action deprovisioning needs (${checks.length} checked)`
      : status === 'missing_permissions'
        ? `the AccessKey lacks ${missing.join(', ')}${unknown > 0 ? `; ${unknown} more could not be checked` : ''}`
        : existingProbe !== undefined
          ? `the probe user ${existingProbe} exists in RAM, so ${unknown} RAM actions were not checked; check again`
          : `${unknown} of ${checks.length} RAM actions could not be checked`;
  return { ok: status === 'ok', status, summary, checks, missing };
}
