import { referencedIds, translateReferences } from '../mapping/translate-references.ts';
import type { CompiledProvisioning, DirectoryUser } from './compiled-provisioning.ts';
import type { ReconcileContext, ReconcileResult } from './reconcile-outcome.ts';

/**
 * Runs one user's reconciliation with its references (the enterprise manager) translated through
 * the provisioning's links into target account ids: every projection `run` makes carries the manager's
 * account id, or no manager while it has none (remembered as pending, filled in when it has). After
 * the run, users waiting for this one's account are reconciled again if it has one now. A
 * provisioning that maps no reference runs as it is, at no cost.
 * @see docs/decisions/0020-reference-attributes.md
 */
export async function withTranslatedReferences(
  context: ReconcileContext,
  userId: string,
  user: DirectoryUser | undefined,
  run: (context: ReconcileContext) => Promise<ReconcileResult>,
): Promise<ReconcileResult> {
  const p = context.provisioning;
  const attributes = p.referenceAttributes;
  if (attributes.length === 0) return run(context);
  const translated = user === undefined ? context : await translateFor(context, user, attributes);
  const result = await run(translated);
  if (result.outcome === 'done') await context.references?.release(p, userId);
  return result;
}

async function translateFor(
  context: ReconcileContext,
  user: DirectoryUser,
  attributes: readonly string[],
): Promise<ReconcileContext> {
  const p = context.provisioning;
  // The create projection applies every mapping (on-create ones too): it names every reference.
  const references = referencedIds(p.project(user, 'create'), attributes);
  const accountIds = new Map<string, string | null>();
  for (const { referencedId } of references) {
    if (accountIds.has(referencedId)) continue;
    const link = await context.links.find(p.id, 'User', referencedId);
    const live = link !== undefined && (link.state === 'active' || link.state === 'disabled');
    accountIds.set(referencedId, live ? link.accountId : null);
  }
  // Only a user that gets (or keeps) an account waits: one out of scope would be woken for nothing.
  const provisioned = p.status === 'enabled' && p.inScope(user);
  await context.references?.remember(
    p,
    user.id,
    provisioned ? references.filter((reference) => accountIds.get(reference.referencedId) === null) : [],
  );
  const provisioning: CompiledProvisioning = {
    ...p,
    project: (subject, operation) =>
      translateReferences(p.project(subject, operation), attributes, accountIds),
  };
  return { ...context, provisioning };
}
