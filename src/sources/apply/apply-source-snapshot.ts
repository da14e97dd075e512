import type { GroupService } from '../../directory/group-service.ts';
import type { UserService } from '../../directory/user-service.ts';
import { ScimError } from '../../scim/errors.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { applyOrgUnits, deleteOrgUnits, placeUsers, planOrgUnits } from './org-unit-sync.ts';
import { type GroupAction, planSourceGroups } from './plan-source-groups.ts';
import { type BindAttribute, planSourceUsers, type UserAction } from './plan-source-users.ts';
import { runPool } from './run-pool.ts';
import {
  emptyStats,
  type SourceApplyResult,
  type SourceApplyStats,
  type SourceRunItemReport,
} from './source-apply-result.ts';
import { createSourceObjectRepository, type SourceObjectLink } from './source-object-repository.ts';
import { checkDeletionThresholds, type SourceProtection } from './source-protection.ts';
import type { SourceSnapshot } from './source-snapshot.ts';

export interface SourceApplyDependencies {
  readonly storage: Storage;
  readonly users: UserService;
  readonly groups: GroupService;
}

export interface SourceApplyOptions {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly protection: SourceProtection;
  readonly bindBy?: BindAttribute | undefined;
  /** Compute and return the plan; write nothing. */
  readonly dryRun?: boolean;
  /** `refuse` (CSV default): a snapshot with an invalid entry changes nothing; `skip`: apply the rest. */
  readonly invalidEntries?: 'refuse' | 'skip';
  /** Directory writes in flight at once. */
  readonly concurrency?: number;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Applies what a source says to the directory through the user and group services (so every change
 * reaches the outbox and the targets). The whole plan is computed first; pull protection, an empty
 * snapshot from a source that owns objects, or (when refused) an invalid entry stop the run before
 * anything is written. Deletions come last and only from a complete snapshot; a source deletes only
 * objects it owns.
 */
export async function applySourceSnapshot(
  dependencies: SourceApplyDependencies,
  options: SourceApplyOptions,
  snapshot: SourceSnapshot,
): Promise<SourceApplyResult> {
  const { storage, users, groups } = dependencies;
  const { tenantId, sourceId } = options;
  const objects = createSourceObjectRepository(storage.db, storage.dialect);
  const scope = { tenantId, sourceId, complete: snapshot.complete, bindBy: options.bindBy };

  const unitPlan = await planOrgUnits(storage, objects, scope, snapshot.orgUnits);
  const userPlan = await planSourceUsers(storage, objects, scope, snapshot.users);
  const userIdByKey = new Map<string, string | null>();
  for (const action of userPlan.actions) {
    if (action.kind === 'create') userIdByKey.set(action.entry.key, null);
    else if (action.kind !== 'invalid') userIdByKey.set(action.entry.key, action.objectId);
  }
  for (const link of userPlan.links.values())
    if (!userIdByKey.has(link.key) && !userPlan.deletes.some((d) => d.key === link.key))
      userIdByKey.set(link.key, link.objectId);
  const groupPlan = await planSourceGroups(storage, objects, scope, snapshot.groups, (key) =>
    userIdByKey.get(key),
  );

  const planned = emptyStats();
  const items: SourceRunItemReport[] = [];
  const item = (report: SourceRunItemReport) => items.push(report);
  for (const action of userPlan.actions) countPlanned(planned.users, action.kind);
  for (const action of groupPlan.actions) countPlanned(planned.groups, action.kind);
  planned.users.deleted = userPlan.deletes.length;
  planned.groups.deleted = groupPlan.deletes.length;
  Object.assign(planned.orgUnits, {
    created: unitPlan.creates.length,
    updated: unitPlan.updates.length,
    same: unitPlan.same,
    deleted: unitPlan.deletes.length,
  });
  for (const action of [...userPlan.actions, ...groupPlan.actions]) {
    if (action.kind === 'same') continue;
    item({
      type: 'memberKeys' in action.entry ? 'Group' : 'User',
      key: action.entry.key,
      name: action.entry.name ?? null,
      objectId: 'objectId' in action ? action.objectId : null,
      action: action.kind,
      outcome: action.kind === 'invalid' ? 'failed' : 'planned',
      ...(action.kind === 'invalid' ? { message: action.message } : {}),
    });
  }
  for (const [type, deletes] of [
    ['User', userPlan.deletes],
    ['Group', groupPlan.deletes],
  ] as const)
    for (const gone of deletes)
      item({
        type,
        key: gone.key,
        name: gone.name,
        objectId: gone.objectId,
        action: 'delete',
        outcome: 'planned',
      });

  const refuse = (
    code: 'protection' | 'empty_source' | 'invalid_entries',
    message: string,
  ): SourceApplyResult => ({
    ok: false,
    error: { code, message },
    stats: planned,
    items,
  });
  if (
    snapshot.complete &&
    snapshot.users.length === 0 &&
    snapshot.groups.length === 0 &&
    userPlan.owned + groupPlan.owned > 0
  ) {
    return refuse(
      'empty_source',
      `The source returned no users and no groups, but owns ${userPlan.owned} users and ${groupPlan.owned} ` +
        'groups; refusing to treat that as "everyone left". Nothing was changed.',
    );
  }
  const exceeded = checkDeletionThresholds(options.protection, [
    { type: 'User', deletes: userPlan.deletes.length, owned: userPlan.owned },
    { type: 'Group', deletes: groupPlan.deletes.length, owned: groupPlan.owned },
    { type: 'OrgUnit', deletes: unitPlan.deletes.length, owned: unitPlan.owned },
  ]);
  if (exceeded !== undefined) return refuse('protection', exceeded);
  const invalid = planned.users.invalid + planned.groups.invalid;
  if (invalid > 0 && (options.invalidEntries ?? 'refuse') === 'refuse') {
    return refuse(
      'invalid_entries',
      `${invalid} entries cannot be applied (see the items); nothing was changed. Fix them, or apply the valid entries only`,
    );
  }
  if (options.dryRun === true) return { ok: true, dryRun: true, stats: planned, items };

  // Apply: org units, users, groups, then deletions (groups, users, org units).
  const done = emptyStats();
  done.users.same = planned.users.same;
  done.users.invalid = planned.users.invalid;
  done.groups.same = planned.groups.same;
  done.groups.invalid = planned.groups.invalid;
  done.orgUnits = { ...planned.orgUnits };
  const outcomes = new Map<string, SourceRunItemReport>();
  const plannedItems = new Map(
    items
      .filter((report) => report.outcome === 'planned')
      .map((report) => [`${report.type}\n${report.key}`, report]),
  );
  const settle = (type: 'User' | 'Group', key: string, objectId: string | null, error?: unknown) => {
    const report = plannedItems.get(`${type}\n${key}`);
    if (report === undefined) return;
    outcomes.set(`${type}\n${key}`, {
      ...report,
      objectId,
      outcome: error === undefined ? 'success' : 'failed',
      ...(error === undefined ? {} : { message: messageOf(error) }),
    });
  };

  const unitIds = await applyOrgUnits(storage, objects, scope, unitPlan, snapshot.orgUnits);
  const concurrency = options.concurrency ?? 16;
  const userLinks: Omit<SourceObjectLink, 'released'>[] = [];
  const placements = new Map<string, string | null>();
  const writable = userPlan.actions.filter(
    (action): action is Exclude<UserAction, { kind: 'invalid' }> => action.kind !== 'invalid',
  );
  await runPool(writable, concurrency, async (action) => {
    const entry = action.entry;
    try {
      let objectId: string;
      if (action.kind === 'create') {
        objectId = (await users.create(tenantId, action.doc)).id;
        done.users.created++;
      } else {
        objectId = action.objectId;
        if (action.kind === 'update' || action.kind === 'bind') {
          await users.replace(tenantId, objectId, action.doc);
          done.users[action.kind === 'bind' ? 'bound' : 'updated']++;
        }
        if (action.kind === 'same' && !action.linkChanged) {
          userIdByKey.set(entry.key, objectId);
          if (entry.orgUnitKey !== undefined)
            placements.set(
              objectId,
              entry.orgUnitKey === null ? null : (unitIds.get(entry.orgUnitKey) ?? null),
            );
          return;
        }
      }
      userIdByKey.set(entry.key, objectId);
      if (entry.orgUnitKey !== undefined)
        placements.set(objectId, entry.orgUnitKey === null ? null : (unitIds.get(entry.orgUnitKey) ?? null));
      userLinks.push({
        type: 'User',
        key: entry.key,
        objectId,
        name: entry.name ?? null,
        owned: Object.keys(entry.attributes),
        state: null,
      });
      if (action.kind !== 'same') settle('User', entry.key, objectId);
    } catch (error) {
      done.users.failed++;
      settle('User', entry.key, 'objectId' in action ? action.objectId : null, error);
    }
  });
  await objects.upsert(tenantId, sourceId, userLinks);
  await placeUsers(storage, tenantId, placements);

  const groupLinks: Omit<SourceObjectLink, 'released'>[] = [];
  await runPool(
    groupPlan.actions.filter(
      (action): action is Exclude<GroupAction, { kind: 'invalid' }> => action.kind !== 'invalid',
    ),
    4,
    async (action) => {
      const entry = action.entry;
      const members = [
        ...new Set(
          entry.memberKeys
            .map((key) => userIdByKey.get(key))
            .filter((id): id is string => typeof id === 'string'),
        ),
      ].map((value) => ({ value, type: 'User' }));
      try {
        let objectId: string;
        if (action.kind === 'create') {
          objectId = (await groups.create(tenantId, { ...action.doc, members })).id;
          done.groups.created++;
        } else {
          objectId = action.objectId;
          if (action.kind === 'update') {
            const body = action.membersOwned
              ? { ...action.doc, members }
              : {
                  ...action.doc,
                  members: (await groups.members(tenantId, objectId)).map(({ value, type }) => ({
                    value,
                    type,
                  })),
                };
            await groups.replace(tenantId, objectId, body);
            done.groups.updated++;
          }
        }
        groupLinks.push({
          type: 'Group',
          key: entry.key,
          objectId,
          name: entry.name ?? null,
          owned: [...Object.keys(entry.attributes), 'members'],
          state: entry.state ?? null,
        });
        if (action.kind !== 'same') settle('Group', entry.key, objectId);
      } catch (error) {
        done.groups.failed++;
        settle('Group', entry.key, 'objectId' in action ? action.objectId : null, error);
      }
    },
  );
  await objects.upsert(tenantId, sourceId, groupLinks);

  for (const [type, deletes, remove] of [
    ['Group', groupPlan.deletes, (id: string) => groups.delete(tenantId, id)],
    ['User', userPlan.deletes, (id: string) => users.delete(tenantId, id)],
  ] as const) {
    const counts = type === 'User' ? done.users : done.groups;
    const removedKeys: string[] = [];
    await runPool(deletes, concurrency, async (gone) => {
      try {
        await remove(gone.objectId);
        counts.deleted++;
        removedKeys.push(gone.key);
        settle(type, gone.key, gone.objectId);
      } catch (error) {
        if (error instanceof ScimError && error.status === 404) {
          // Already gone from the directory: only the link is left to drop.
          counts.deleted++;
          removedKeys.push(gone.key);
          settle(type, gone.key, gone.objectId);
        } else {
          counts.failed++;
          settle(type, gone.key, gone.objectId, error);
        }
      }
    });
    await objects.remove(sourceId, type, removedKeys);
  }
  await deleteOrgUnits(storage, objects, scope, unitPlan.deletes);

  const final = items.map((report) => outcomes.get(`${report.type}\n${report.key}`) ?? report);
  return { ok: true, dryRun: false, stats: done, items: final };
}

function countPlanned(
  counts: SourceApplyStats['users'],
  kind: UserAction['kind'] | GroupAction['kind'],
): void {
  if (kind === 'create') counts.created++;
  else if (kind === 'update') counts.updated++;
  else if (kind === 'bind') counts.bound++;
  else if (kind === 'same') counts.same++;
  else counts.invalid++;
}
