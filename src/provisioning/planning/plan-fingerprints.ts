import { createHash } from 'node:crypto';
import type { Storage } from '../../storage/open-storage.ts';
import type { DirectoryReader } from '../engine/directory-reader.ts';
import type { PlanChange } from './plan-types.ts';

const LIVE_STATES = ['creating', 'active', 'disabled'];
const IN_CHUNK = 500;

/** Which objects a plan considers, and what their plan depends on. */
export interface ConsideredScope {
  readonly tenantId: string;
  readonly provisioningId: string;
  /** A removal considers the provisioning's live links; a push every user and every live link. */
  readonly linksOnly: boolean;
  /** The scope depends on groups: a membership change can change the plan. */
  readonly groups: boolean;
}

/**
 * The fingerprint of each object a plan considered: the user's version and last-modified time (or
 * its absence), its link's state and last change, a staged or approved removal, and (when the scope
 * depends on groups) its groups. Equal fingerprints over the same set of objects mean the directory
 * and the links are as the plan saw them; `compare` lists what differs.
 */
export function createPlanFingerprints(storage: Storage, reader: DirectoryReader) {
  const db = storage.db;

  /**
   * The considered objects after `after` in id order: the next `limit`, or every one up to and
   * including `upTo` (at most `limit`).
   */
  async function considered(
    scope: ConsideredScope,
    after: string,
    bound: { readonly limit: number; readonly upTo?: string | undefined },
  ): Promise<string[]> {
    let links = db
      .selectFrom('links')
      .select('object_id')
      .where('provisioning_id', '=', scope.provisioningId)
      .where('object_type', '=', 'User')
      .where('state', 'in', LIVE_STATES)
      .where('object_id', '>', after);
    if (bound.upTo !== undefined) links = links.where('object_id', '<=', bound.upTo);
    if (scope.linksOnly) {
      const rows = await links.orderBy('object_id').limit(bound.limit).execute();
      return rows.map((row) => row.object_id);
    }
    let users = db
      .selectFrom('users')
      .select('id as object_id')
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '>', after);
    if (bound.upTo !== undefined) users = users.where('id', '<=', bound.upTo);
    const rows = await users.union(links).orderBy('object_id').limit(bound.limit).execute();
    return rows.map((row) => row.object_id);
  }

  async function fingerprints(scope: ConsideredScope, ids: readonly string[]): Promise<Map<string, string>> {
    const parts = new Map<string, { u: string; l: string; s: string; g: string }>(
      ids.map((id) => [id, { u: '-', l: '-', s: '-', g: '-' }]),
    );
    for (let start = 0; start < ids.length; start += IN_CHUNK) {
      const chunk = ids.slice(start, start + IN_CHUNK);
      if (!scope.linksOnly) {
        const users = await db
          .selectFrom('users')
          .select(['id', 'version', 'last_modified'])
          .where('tenant_id', '=', scope.tenantId)
          .where('id', 'in', chunk)
          .execute();
        for (const row of users) {
          const entry = parts.get(row.id);
          if (entry !== undefined) entry.u = `${row.version}@${row.last_modified}`;
        }
        if (scope.groups) {
          const read = await reader.readUsers(
            scope.tenantId,
            users.map((row) => row.id),
            { groups: true },
          );
          for (const [id, user] of read) {
            const entry = parts.get(id);
            if (entry !== undefined)
              entry.g = createHash('sha256')
                .update([...user.groupIds].sort().join(','))
                .digest('base64url')
                .slice(0, 16);
          }
        }
      }
      const links = await db
        .selectFrom('links')
        .select(['object_id', 'state', 'updated_at'])
        .where('provisioning_id', '=', scope.provisioningId)
        .where('object_type', '=', 'User')
        .where('object_id', 'in', chunk)
        .execute();
      for (const row of links) {
        const entry = parts.get(row.object_id);
        if (entry !== undefined) entry.l = `${row.state}@${row.updated_at}`;
      }
      const staged = await db
        .selectFrom('staged_removals')
        .select(['object_id', 'status'])
        .where('provisioning_id', '=', scope.provisioningId)
        .where('object_id', 'in', chunk)
        .execute();
      for (const row of staged) {
        const entry = parts.get(row.object_id);
        if (entry !== undefined) entry.s = row.status;
      }
    }
    return new Map([...parts].map(([id, part]) => [id, `u=${part.u};l=${part.l};s=${part.s};g=${part.g}`]));
  }

  return {
    considered,
    fingerprints,

    /**
     * What differs between the fingerprints a plan stored for the objects after `after` up to `upTo`
     * (undefined: the last page, so every object after it counts) and the world now.
     */
    async compare(
      scope: ConsideredScope,
      stored: ReadonlyMap<string, string>,
      after: string,
      upTo: string | undefined,
    ): Promise<PlanChange[]> {
      const ids = await considered(scope, after, { limit: 10_000, upTo });
      const now = await fingerprints(scope, ids);
      const changes: PlanChange[] = [];
      for (const [objectId, was] of stored) {
        const is = now.get(objectId);
        if (is === undefined)
          changes.push({ objectId, what: 'gone since the plan (user deleted or link closed)' });
        else if (is !== was) changes.push({ objectId, what: describeChange(was, is) });
      }
      for (const objectId of ids)
        if (!stored.has(objectId)) changes.push({ objectId, what: 'new since the plan' });
      return changes;
    },
  };
}

export type PlanFingerprints = ReturnType<typeof createPlanFingerprints>;

const PART_WORDS: Readonly<Record<string, string>> = {
  u: 'the user',
  l: 'its link',
  s: 'its staged removal',
  g: 'its groups',
};

function describeChange(was: string, is: string): string {
  const split = (fingerprint: string) =>
    new Map(fingerprint.split(';').map((part) => [part.slice(0, 1), part.slice(2)] as const));
  const before = split(was);
  const after = split(is);
  const changed = [...after]
    .filter(([key, value]) => before.get(key) !== value)
    .map(([key, value]) => {
      const old = before.get(key) ?? '-';
      const words = PART_WORDS[key] ?? key;
      if (old === '-') return `${words} appeared`;
      if (value === '-') return `${words} is gone`;
      return key === 'l'
        ? `${words} changed (${old.split('@')[0]} → ${value.split('@')[0]})`
        : `${words} changed`;
    });
  return changed.join(', ') || 'changed';
}
