import type { Link } from '../engine/link-repository.ts';
import { type ReconcileContext, type ReconcileResult, record } from '../engine/reconcile-outcome.ts';
import type { NativeStep } from './native-account-api.ts';

export async function recordSteps(
  context: ReconcileContext,
  link: Link,
  action: string,
  steps: readonly NativeStep[],
): Promise<void> {
  for (const step of steps)
    await context.log.record({
      tenantId: context.provisioning.tenantId,
      provisioningId: context.provisioning.id,
      targetId: context.provisioning.targetId,
      runId: context.runId,
      objectType: 'User',
      objectId: link.objectId,
      accountId: link.accountId,
      action,
      status: step.ok ? 'success' : 'failure',
      attempt: context.attempt,
      message: step.message === undefined ? step.description : `${step.description}: ${step.message}`,
      durationMs: step.durationMs,
    });
}

export async function nativeFailure(
  context: ReconcileContext,
  link: Link,
  action: string,
  error: { message: string; code?: string | undefined; retryable: boolean },
  started: number,
): Promise<ReconcileResult> {
  const retryable = error.retryable && context.attempt < context.maxAttempts;
  await record(context, {
    objectId: link.objectId,
    accountId: link.accountId,
    action,
    status: retryable ? 'warning' : 'failure',
    message: `native API: ${error.message}${retryable ? '; will retry' : ''}`,
    errorCode: error.code,
    started,
  });
  return retryable
    ? { outcome: 'retry', afterMs: undefined, error: error.message, action: 'deleted' }
    : { outcome: 'failed', error: error.message, action: 'deleted' };
}
