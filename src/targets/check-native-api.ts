import { checkRamCleanupPermissions, type RamPermissionReport } from './alibaba-ram/check-ram-permissions.ts';
import { DELETE_CONFLICT_STEPS, type RamCleanupStep } from './alibaba-ram/delete-conflict-steps.ts';
import { createRamOpenapiClient } from './alibaba-ram/ram-openapi-client.ts';
import type { NativeApiConnection } from './native-api-settings.ts';
import type { ConnectivityReport } from './test-connectivity.ts';

/** Every cleanup step, in the cascade's order: what a target's test checks, whatever its provisionings allow. */
export const EVERY_CLEANUP_STEP: readonly RamCleanupStep[] = DELETE_CONFLICT_STEPS.map((entry) => entry.step);

/** The permission check of a target's native API: where and as whom (never the secret), and what it may do. */
export interface NativeApiPermissionReport extends RamPermissionReport {
  readonly api: NativeApiConnection['api'];
  readonly endpoint: string;
  readonly accessKeyId: string;
  /** The cleanup steps whose writes were checked; reading the user and its dependents, and DeleteUser, always are. */
  readonly steps: readonly RamCleanupStep[];
}

/**
 * Checks, without changing anything on the target, that the native API's credentials may run the
 * deprovisioning actions `steps` need (issue 5, item 8): found on day one, not on the day someone
 * leaves. Never throws: an unexpected failure is an `inconclusive` report that says so.
 */
export async function checkNativeApiPermissions(
  connection: NativeApiConnection,
  steps: readonly RamCleanupStep[],
): Promise<NativeApiPermissionReport> {
  const { endpoint, accessKeyId } = connection.config;
  const ordered = EVERY_CLEANUP_STEP.filter((step) => steps.includes(step));
  const base = { api: connection.api, endpoint, accessKeyId, steps: ordered };
  try {
    const report = await checkRamCleanupPermissions(createRamOpenapiClient(connection.config), ordered);
    return { ...base, ...report };
  } catch (error) {
    return {
      ...base,
      ok: false,
      status: 'inconclusive',
      summary: `the permission check stopped on an unexpected ${error instanceof Error ? error.name : 'error'}; this is a Lockstep bug`,
      checks: [],
      missing: [],
    };
  }
}

/** Credentials the native API refuses, or an endpoint that does not answer: nothing it should do can be done. */
const UNUSABLE: ReadonlySet<NativeApiPermissionReport['status']> = new Set([
  'invalid_credentials',
  'unreachable',
]);

/**
 * A target's connectivity report with its native API's permission check. Unusable credentials fail
 * the test; missing permissions do not (which are needed depends on each provisioning's policy: its
 * test says), but the section names them.
 */
export function withNativeApiReport(
  report: ConnectivityReport,
  nativeApi: NativeApiPermissionReport | undefined,
): ConnectivityReport {
  if (nativeApi === undefined) return report;
  return { ...report, ok: report.ok && !UNUSABLE.has(nativeApi.status), nativeApi };
}
