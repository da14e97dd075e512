import type {
  NativeAccountApi,
  NativeResult,
  NativeStep,
} from '../../provisioning/deprovisioning/native-account-api.ts';
import { DELETE_CONFLICT_STEPS } from './delete-conflict-steps.ts';
import { createRamAccountRemover } from './ram-account-remover.ts';
import { type RamAccountSnapshot, RamAccountSnapshotSchema } from './ram-account-snapshot.ts';
import { itemsOfStep } from './ram-blocking-states.ts';
import type { RamCall, RamStepReport } from './ram-cleanup-step.ts';
import type { RamOpenapiClient } from './ram-openapi-client.ts';
import type { RamOpenapiError } from './ram-openapi-error.ts';

/** RAM refusals worth another attempt later; the rest need a person (or are final). */
const RETRYABLE: ReadonlySet<RamOpenapiError['kind']> = new Set(['throttled', 'unreachable', 'server_error']);

/**
 * Alibaba Cloud RAM's OpenAPI in the shape the deprovisioning engine uses (`NativeAccountApi`), over
 * `createRamAccountRemover`. The engine deletes through SCIM and asks this API to verify; the
 * snapshot it stores as the backup is a `RamAccountSnapshot`.
 */
export function createRamNativeAccountApi(client: RamOpenapiClient): NativeAccountApi {
  const remover = createRamAccountRemover(client);
  return {
    kind: 'alibaba-ram',

    async inspect(userName) {
      const inspected = await remover.inspect(userName);
      if (!inspected.ok) return failed(inspected.error);
      if (inspected.value.status === 'absent') return { ok: true, value: 'absent' };
      const { snapshot } = inspected.value;
      const states = DELETE_CONFLICT_STEPS.map((entry) => entry.step).filter(
        (step) => itemsOfStep(snapshot, step).length > 0,
      );
      return { ok: true, value: { snapshot, states } };
    },

    async clear(userName, stored, allowed) {
      const snapshot = readSnapshot(stored);
      if (!snapshot.ok) return snapshot;
      const report = await remover.clear(userName, snapshot.value, allowed);
      if (report.failure !== undefined) return failed(report.failure.error);
      return {
        ok: true,
        value: {
          steps: report.steps.flatMap(toNativeSteps),
          blocked: report.blocked.map((state) => ({
            state: state.state,
            kind: state.step,
            instruction: state.action,
          })),
        },
      };
    },

    async revoke(userName, stored) {
      const snapshot = readSnapshot(stored);
      if (!snapshot.ok) return snapshot;
      const report = await remover.revoke(userName, snapshot.value);
      const failure = report.steps.find((step) => step.error !== undefined)?.error;
      if (failure !== undefined) return failed(failure);
      return { ok: true, value: { steps: report.steps.flatMap(toNativeSteps) } };
    },

    async verifyGone(userName) {
      const found = await client.getUser(userName);
      if (found.ok) return { ok: true, value: false };
      if (found.error.code === 'EntityNotExist.User') return { ok: true, value: true };
      return failed(found.error);
    },

    async restoreDependents(userName, stored) {
      const snapshot = readSnapshot(stored);
      if (!snapshot.ok) return snapshot;
      const restored = await remover.restoreDependents(userName, snapshot.value);
      if (!restored.ok) return failed(restored.error);
      const { value: report } = restored;
      const retryable = report.notRestored.find(
        (item) => item.error !== undefined && RETRYABLE.has(item.error.kind),
      );
      if (retryable?.error !== undefined) return failed(retryable.error);
      return {
        ok: true,
        value: {
          steps: report.calls.map((call) =>
            toNativeStep(call, call.action === 'AddUserToGroup' ? 'groups' : 'policies'),
          ),
          restored: report.restored.map((item) => describeItem(item.kind, item.what)),
          notRestored: report.notRestored.map((item) => ({
            what: describeItem(item.kind, item.what),
            why: item.why,
          })),
        },
      };
    },
  };
}

function readSnapshot(stored: Readonly<Record<string, unknown>>): NativeResult<RamAccountSnapshot> {
  const parsed = RamAccountSnapshotSchema.safeParse(stored);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: {
      message: 'The backup is not a RAM account snapshot (kind alibaba-ram, version 1)',
      retryable: false,
    },
  };
}

function failed(error: RamOpenapiError): {
  ok: false;
  error: { message: string; code?: string; retryable: boolean };
} {
  const lacking = error.kind === 'forbidden' ? ` (Lockstep's AccessKey lacks ram:${error.action})` : '';
  return {
    ok: false,
    error: {
      message: `${error.message}${lacking}`,
      ...(error.code !== undefined ? { code: error.code } : {}),
      retryable: RETRYABLE.has(error.kind),
    },
  };
}

function toNativeSteps(report: RamStepReport): NativeStep[] {
  return report.calls.map((call) => toNativeStep(call, report.step));
}

function toNativeStep(call: RamCall, kind: NativeStep['kind']): NativeStep {
  return {
    kind,
    description: `${call.action} ${describeCallItem(call)}`,
    ok: call.result !== 'failed',
    message: call.result === 'gone' ? 'already gone' : call.error?.message,
    durationMs: call.durationMs,
  };
}

/** `AliyunOSSFullAccess (System)` for a policy; the item itself otherwise. */
function describeCallItem(call: RamCall): string {
  const policy = /^(System|Custom):(.+)$/.exec(call.item);
  return call.action.includes('Policy') && policy !== null ? `${policy[2]} (${policy[1]})` : call.item;
}

function describeItem(kind: string, what: string): string {
  switch (kind) {
    case 'group':
      return `group ${what}`;
    case 'policy': {
      const [type, ...name] = what.split(':');
      return `policy ${name.join(':')} (${type})`;
    }
    case 'accessKey':
      return `AccessKey ${what}`;
    case 'loginProfile':
      return 'login profile (console password)';
    default:
      return `MFA device ${what}`;
  }
}
