import { printFields } from './cli-output.ts';
import type { Plan, PlannedOperation } from './plan-api-types.ts';

/** The summary's kinds in the order a reader weighs them, with their words. */
const KIND_WORDS: readonly (readonly [kind: string, words: string])[] = [
  ['create', 'create'],
  ['link', 'take over'],
  ['update', 'update'],
  ['enable', 'enable'],
  ['disable', 'disable'],
  ['revoke', 'revoke'],
  ['delete', 'delete'],
  ['blocked', 'blocked delete'],
  ['staged', 'staged'],
  ['keep', 'keep'],
  ['unlink', 'unlink'],
  ['forget', 'forget'],
  ['waiting', 'in grace period'],
  ['skipped', 'skipped'],
  ['failed', 'failed'],
  ['unknown', 'unknown'],
  ['same', 'unchanged'],
  ['none', 'out of scope'],
];

const PLAN_KIND_WORDS: Readonly<Record<Plan['kind'], string>> = {
  'full-push': 'a full push',
  config: 'a configuration change',
  removal: 'removing the provisioning',
};

const TRIGGER_WORDS: Readonly<Record<string, string>> = {
  deleted: 'deleted in the directory',
  disabled: 'disabled in the directory',
  outOfScope: 'out of scope',
  removed: 'the provisioning is removed',
};

/** A plan for people: what it is of, its counts, the deletion guard, then each operation. */
export function printPlan(plan: Plan, operations: readonly PlannedOperation[]): void {
  printFields([
    ['Plan', plan.id],
    ['Provisioning', plan.provisioningId],
    ['Of', PLAN_KIND_WORDS[plan.kind] ?? plan.kind],
    ['Status', plan.status],
    ...(plan.deletionStrategy !== null ? ([['Strategy', plan.deletionStrategy]] as const) : []),
    ['Expires', plan.expiresAt],
    ...(plan.runId !== null ? ([['Run', plan.runId]] as const) : []),
  ]);
  for (const note of plan.notes) console.log(`Note: ${note}`);
  if (plan.refusal !== null) {
    console.log(`Refused: ${plan.refusal.message}`);
    for (const change of plan.refusal.changes)
      console.log(`  ${change.objectId === null ? '' : `${change.objectId}: `}${change.what}`);
  }
  console.log('');
  const counts = KIND_WORDS.filter(([kind]) => (plan.summary[kind] ?? 0) > 0).map(
    ([kind, words]) => `${words} ${plan.summary[kind]}`,
  );
  console.log(`${counts.join(', ') || 'nothing'} (of ${plan.summary.considered} objects considered)`);
  const { guard } = plan;
  if (!guard.enabled) console.log('Deletion guard: off');
  else if (guard.removals > 0 || guard.paused !== null)
    console.log(
      `Deletion guard: ${guard.removals} removal(s), ${guard.inWindow} in its window already, ${guard.live} live accounts: ${
        guard.stages === null ? 'within the threshold' : `stages them (${guard.stages})`
      }`,
    );
  if (operations.length > 0) console.log('');
  for (const operation of operations) printOperation(operation);
}

function printOperation(operation: PlannedOperation): void {
  const who = operation.userName ?? operation.objectId;
  const why =
    operation.trigger === undefined ? '' : ` (${TRIGGER_WORDS[operation.trigger] ?? operation.trigger})`;
  const account = operation.accountId === null ? '' : ` account ${operation.accountId}`;
  console.log(`${operation.kind.padEnd(8)} ${who}${why}  [user ${operation.objectId}${account}]`);
  for (const [path, change] of Object.entries(operation.changes ?? {}))
    console.log(`    ${path}: ${show(change.old)} → ${show(change.new)}`);
  if (operation.substitution !== undefined)
    console.log(`    instead of a disable: ${operation.substitution}`);
  if (operation.cleanup !== undefined) {
    const states = operation.cleanup.states.map(
      (state) => `${state.kind}${state.allowed ? '' : ' (not allowed: blocks the delete)'}`,
    );
    console.log(`    clears: ${states.join(', ') || 'nothing to clear'}`);
  }
  if (operation.staged !== undefined)
    console.log(`    staged${operation.staged.already ? ' already' : ''}: ${operation.staged.reason}`);
  if (operation.deleteAt !== undefined) console.log(`    deleted at ${operation.deleteAt} (grace period)`);
  if (operation.note !== undefined && operation.kind !== 'staged') console.log(`    ${operation.note}`);
}

function show(value: unknown): string {
  return value === null || value === undefined ? '-' : JSON.stringify(value);
}
