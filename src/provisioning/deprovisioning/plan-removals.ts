import type { CompiledProvisioning, DirectoryUser } from '../engine/compiled-provisioning.ts';
import type { DirectoryReader } from '../engine/directory-reader.ts';
import type { Link, LinkRepository } from '../engine/link-repository.ts';
import {
  actionFor,
  type DeprovisionAction,
  type DeprovisionTrigger,
  triggerFor,
} from './deprovision-policy.ts';

const PAGE = 500;

export interface PlannedRemoval {
  readonly objectId: string;
  readonly accountId: string | null;
  readonly trigger: DeprovisionTrigger;
  readonly action: Exclude<DeprovisionAction, 'keep'>;
}

/**
 * The removal reconciling this linked user would make now, as reconcile-user.ts decides it; undefined
 * when it would make none (in scope and enabled, kept by policy, already disabled, in a grace period).
 */
export function removalFor(
  p: CompiledProvisioning,
  link: Link,
  user: DirectoryUser | undefined,
): PlannedRemoval | undefined {
  if (!['creating', 'active', 'disabled'].includes(link.state)) return undefined;
  const trigger = triggerFor(p, user);
  if (trigger === undefined) return undefined;
  const action = actionFor(p.deprovision, trigger);
  if (action === 'keep') return undefined;
  if (link.state === 'disabled' && (action === 'disable' || typeof link.deleteAfter === 'string'))
    return undefined;
  return { objectId: link.objectId, accountId: link.accountId, trigger, action };
}

/** Every removal a full push of the provisioning would make now, page by page over its live links. */
export async function* planRemovals(
  p: CompiledProvisioning,
  reader: DirectoryReader,
  links: LinkRepository,
): AsyncGenerator<PlannedRemoval> {
  for (let page = await links.listLive(p.id, 'User', '', PAGE); page.length > 0; ) {
    const users = await reader.readUsers(
      p.tenantId,
      page.map((link) => link.objectId),
      { groups: p.scopeUsesGroups },
    );
    for (const link of page) {
      const removal = removalFor(p, link, users.get(link.objectId));
      if (removal !== undefined) yield removal;
    }
    if (page.length < PAGE) break;
    page = await links.listLive(p.id, 'User', page[page.length - 1]?.objectId ?? '', PAGE);
  }
}

export async function countPlannedRemovals(
  p: CompiledProvisioning,
  reader: DirectoryReader,
  links: LinkRepository,
): Promise<number> {
  let count = 0;
  for await (const _removal of planRemovals(p, reader, links)) count++;
  return count;
}
