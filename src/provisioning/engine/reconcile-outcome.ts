import type { ScimTargetAdapter } from '../../targets/adapters/scim-target-adapter.ts';
import type { ScimClientError } from '../../targets/scim-client/scim-client-error.ts';
import type { AccountBackups } from '../deprovisioning/account-backups.ts';
import type { DeletionGuard } from '../deprovisioning/deletion-guard.ts';
import type { NativeAccountApi } from '../deprovisioning/native-account-api.ts';
import type { CompiledProvisioning } from './compiled-provisioning.ts';
import type { LinkRepository } from './link-repository.ts';
import type { PendingReferences } from './pending-references.ts';
import type { OperationRecord, ProvisioningLogWriter } from './provisioning-log-writer.ts';

/** What a reconciliation did, in the run statistics' words (IDaaS: Created / Updated / Deleted / Same / Skipped). */
export type ReconcileAction = 'created' | 'updated' | 'deleted' | 'same' | 'skipped';

export type ReconcileResult =
  | { readonly outcome: 'done'; readonly action: ReconcileAction }
  | {
      readonly outcome: 'retry';
      readonly afterMs: number | undefined;
      readonly error: string;
      readonly action: ReconcileAction;
    }
  | { readonly outcome: 'failed'; readonly error: string; readonly action: ReconcileAction };

/** What reconciling one object needs: the provisioning, its target, links, the log and the job's attempt. */
export interface ReconcileContext {
  readonly provisioning: CompiledProvisioning;
  readonly adapter: ScimTargetAdapter;
  readonly links: LinkRepository;
  readonly log: ProvisioningLogWriter;
  readonly runId: string | null;
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The target's native API (RAM's OpenAPI), when one is configured: cleanup, revocation, restore. */
  readonly native: NativeAccountApi | undefined;
  readonly deprovisioning: DeprovisioningKit;
  /** Users waiting for a referenced user's account (the engine's; absent: references are still translated). */
  readonly references?: PendingReferences;
}

/** What every removal needs: the deletion guard and the backups. */
export interface DeprovisioningKit {
  readonly guard: DeletionGuard;
  readonly backups: AccountBackups;
}

export function linkBase(p: CompiledProvisioning, objectId: string) {
  return { provisioningId: p.id, objectType: 'User' as const, objectId, tenantId: p.tenantId };
}

/**
 * What a create modified, old → new: every attribute it sent a value for. An attribute left empty
 * (null before and after) is not a modification and is not logged — about half of a create's log row.
 */
export function createdChanges(
  attributes: Readonly<Record<string, unknown>>,
): Record<string, { old: null; new: unknown }> {
  const changes: Record<string, { old: null; new: unknown }> = {};
  for (const [path, value] of Object.entries(attributes))
    if (value !== null && value !== undefined) changes[path] = { old: null, new: value };
  return changes;
}

/** Writes one operation of a user's reconciliation to the provisioning log. */
export async function record(
  context: ReconcileContext,
  entry: Omit<
    OperationRecord,
    'tenantId' | 'provisioningId' | 'targetId' | 'runId' | 'objectType' | 'attempt' | 'durationMs'
  > & { started: number },
): Promise<void> {
  const { started, ...rest } = entry;
  await context.log.record({
    tenantId: context.provisioning.tenantId,
    provisioningId: context.provisioning.id,
    targetId: context.provisioning.targetId,
    runId: context.runId,
    objectType: 'User',
    attempt: context.attempt,
    durationMs: performance.now() - started,
    ...rest,
  });
}

/** A failure no retry will fix (bad mapping, a duplicate under Fail): logged, listed as an event, not retried. */
export async function fail(
  context: ReconcileContext,
  objectId: string,
  accountId: string | null,
  action: string,
  statsAction: ReconcileResult['action'],
  message: string,
  started: number,
): Promise<ReconcileResult> {
  await record(context, { objectId, accountId, action, status: 'failure', message, started });
  return { outcome: 'failed', error: message, action: statsAction };
}

/** A target's refusal: retried (with its Retry-After) when another attempt may succeed; else failed. */
export async function failure(
  context: ReconcileContext,
  objectId: string,
  accountId: string | null,
  action: string,
  statsAction: ReconcileResult['action'],
  error: ScimClientError,
  started: number,
): Promise<ReconcileResult> {
  const retryable = isRetryable(error) && context.attempt < context.maxAttempts;
  await record(context, {
    objectId,
    accountId,
    action,
    status: retryable ? 'warning' : 'failure',
    targetStatus: error.status,
    message: retryable ? `${error.message}; will retry` : error.message,
    errorCode: error.scimType ?? error.oauthError ?? error.kind,
    started,
  });
  return retryable
    ? { outcome: 'retry', afterMs: error.retryAfterMs, error: error.message, action: statsAction }
    : { outcome: 'failed', error: error.message, action: statsAction };
}

/** Worth another try: the target was busy, down or unreachable, or refused a token that may be renewed. */
export function isRetryable(error: ScimClientError): boolean {
  return (
    ['unreachable', 'timeout', 'rate_limited', 'server_error', 'unauthorized', 'conflict', 'tls'].includes(
      error.kind,
    ) && error.status !== 501
  );
}
