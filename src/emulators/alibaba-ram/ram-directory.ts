import type { EmulatorClock } from './emulator-clock.ts';
import { type DeleteConflictCode, findDeleteConflict } from './find-delete-conflict.ts';
import type { RamAccountCatalog } from './ram-account-catalog.ts';
import { generateRamUserId } from './ram-identifiers.ts';
import {
  addSeededDependents,
  clearDependents,
  type DependentKind,
  type RamDependentsSeed,
  type RamUserSeed,
  RamUserSeedSchema,
} from './ram-seed.ts';
import { createEmptyDependents, type RamUser, type RamUserDependents } from './ram-user.ts';
import {
  DEFAULT_DISPLAY_NAME_MAX_LENGTH,
  explainInvalidDisplayName,
  explainInvalidUserName,
  foldUserName,
} from './ram-user-rules.ts';

/** The SCIM-writable attributes of a RAM user (already validated by the caller). */
export interface RamUserAttributes {
  userName: string;
  displayName: string;
  externalId?: string | undefined;
  /** RPC CreateUser only. */
  comments?: string | undefined;
}

export type RamDirectoryError =
  | { kind: 'userNameTaken' | 'externalIdTaken' | 'notFound' | 'notScimManaged'; detail: string }
  /** A refusal of the RPC API's, with RAM's code and HTTP status. */
  | { kind: 'rpc'; status: number; code: string; detail: string }
  | { kind: 'deleteConflict'; code: DeleteConflictCode; detail: string };

export type RamDirectoryResult<T> = { ok: true; value: T } | { ok: false; error: RamDirectoryError };

/**
 * The RAM account's users. SCIM writes go through `createUser` / `replaceUser` / `deleteUser`, which
 * apply RAM's rules and answer expected refusals as values; tests seed and inspect through the rest,
 * which throw on misuse. Everything handed out is a copy: state changes only through these methods.
 */
export interface RamDirectory {
  readonly accountId: string;
  /** `<accountId>.onaliyun.com`: logon names are `<userName>@<defaultDomain>`. */
  readonly defaultDomain: string;
  /** `source` is `scim` for SCIM's POST /Users, `console` for the RPC API's CreateUser. */
  createUser(attributes: RamUserAttributes, source?: RamUser['source']): RamDirectoryResult<RamUser>;
  replaceUser(id: string, attributes: RamUserAttributes): RamDirectoryResult<RamUser>;
  /**
   * Refused with the first blocking dependent (`findDeleteConflict`) on both paths; SCIM may in
   * addition delete only users it created, the RPC API (`via: 'rpc'`) any user.
   */
  deleteUser(id: string, via?: 'scim' | 'rpc'): RamDirectoryResult<RamUser>;
  getUser(id: string): RamUser | undefined;
  /** RAM's RPC API names users by UserName, case-insensitively. */
  findUserByName(userName: string): RamUser | undefined;
  /**
   * Changes a user's dependents in place through `change`, which answers the result (and refuses by
   * answering `ok: false`, changing nothing). The RPC actions' way to attach, bind and delete.
   */
  updateDependents<T>(
    id: string,
    change: (dependents: RamUserDependents, user: Readonly<RamUser>) => RamDirectoryResult<T>,
  ): RamDirectoryResult<T>;
  /** All users in creation order. */
  listUsers(): RamUser[];
  seedUser(seed: RamUserSeed): RamUser;
  addDependents(id: string, seed: RamDependentsSeed): RamUser;
  /** Removes the named kinds of dependent, or all of them. */
  clearDependents(id: string, kinds?: readonly DependentKind[]): RamUser;
  reset(): void;
}

export interface RamDirectoryOptions {
  accountId: string;
  defaultDomain?: string;
  displayNameMaxLength?: number;
  /** Seeded groups, policies and MFA devices are registered here, so the RPC API sees them. */
  catalog?: RamAccountCatalog;
}

export function createRamDirectory(clock: EmulatorClock, options: RamDirectoryOptions): RamDirectory {
  const users = new Map<string, RamUser>();
  const idsByUserName = new Map<string, string>();
  const idsByExternalId = new Map<string, string>();
  const displayNameMaxLength = options.displayNameMaxLength ?? DEFAULT_DISPLAY_NAME_MAX_LENGTH;
  const defaultDomain = options.defaultDomain ?? `${options.accountId}.onaliyun.com`;

  const findClash = (attributes: RamUserAttributes, selfId?: string): RamDirectoryError | undefined => {
    const byName = idsByUserName.get(foldUserName(attributes.userName));
    if (byName !== undefined && byName !== selfId) {
      return { kind: 'userNameTaken', detail: `A RAM user named "${attributes.userName}" already exists` };
    }
    if (attributes.externalId === undefined) return undefined;
    const byExternalId = idsByExternalId.get(attributes.externalId);
    if (byExternalId !== undefined && byExternalId !== selfId) {
      return { kind: 'externalIdTaken', detail: `externalId "${attributes.externalId}" is already in use` };
    }
    return undefined;
  };

  const index = (user: RamUser) => {
    idsByUserName.set(foldUserName(user.userName), user.id);
    if (user.externalId !== undefined) idsByExternalId.set(user.externalId, user.id);
  };
  const unindex = (user: RamUser) => {
    idsByUserName.delete(foldUserName(user.userName));
    if (user.externalId !== undefined) idsByExternalId.delete(user.externalId);
  };

  const insert = (attributes: RamUserAttributes, source: RamUser['source']): RamUser => {
    let id = generateRamUserId();
    while (users.has(id)) id = generateRamUserId();
    const now = clock.now();
    const user: RamUser = {
      id,
      userName: attributes.userName,
      displayName: attributes.displayName,
      ...(attributes.externalId !== undefined ? { externalId: attributes.externalId } : {}),
      ...(attributes.comments !== undefined ? { comments: attributes.comments } : {}),
      source,
      created: now,
      lastModified: now,
      dependents: createEmptyDependents(),
    };
    users.set(id, user);
    index(user);
    return user;
  };

  const requireUser = (id: string): RamUser => {
    const user = users.get(id);
    if (user === undefined) throw new RangeError(`No RAM user with id ${id}`);
    return user;
  };

  /** Seeded names and devices become the account's, as if made through the RPC API first. */
  const registerInCatalog = (user: RamUser) => {
    const { catalog } = options;
    if (catalog === undefined) return;
    for (const group of user.dependents.groups) catalog.ensureGroup(group.groupName);
    for (const policy of user.dependents.policies) catalog.ensurePolicy(policy.policyName, policy.policyType);
    const device = user.dependents.mfaDevice;
    if (device !== null && device.type === 'VMFA') {
      catalog.setMfaBinding(device.serialNumber, { userId: user.id, activateDate: device.activateDate });
    }
  };

  const notManaged = (user: RamUser): RamDirectoryError => ({
    kind: 'notScimManaged',
    detail: `The RAM user "${user.userName}" was not created through SCIM and cannot be changed through SCIM`,
  });

  return {
    accountId: options.accountId,
    defaultDomain,
    createUser(attributes, source = 'scim') {
      const clash = findClash(attributes);
      if (clash !== undefined) return { ok: false, error: clash };
      return { ok: true, value: structuredClone(insert(attributes, source)) };
    },
    replaceUser(id, attributes) {
      const user = users.get(id);
      if (user === undefined) return { ok: false, error: notFound(id) };
      // *unverified*: the IDaaS support matrix says RAM users that exist before provisioning
      // ("存量用户") cannot be changed through SCIM; a careful RAM refuses rather than ignores.
      if (user.source !== 'scim') return { ok: false, error: notManaged(user) };
      const clash = findClash(attributes, id);
      if (clash !== undefined) return { ok: false, error: clash };
      const changed =
        user.userName !== attributes.userName ||
        user.displayName !== attributes.displayName ||
        user.externalId !== attributes.externalId;
      if (changed) {
        unindex(user);
        user.userName = attributes.userName;
        user.displayName = attributes.displayName;
        if (attributes.externalId === undefined) delete user.externalId;
        else user.externalId = attributes.externalId;
        user.lastModified = clock.now();
        index(user);
      }
      return { ok: true, value: structuredClone(user) };
    },
    deleteUser(id, via = 'scim') {
      const user = users.get(id);
      if (user === undefined) return { ok: false, error: notFound(id) };
      if (via === 'scim' && user.source !== 'scim') return { ok: false, error: notManaged(user) };
      const conflict = findDeleteConflict(user);
      if (conflict !== undefined) {
        return {
          ok: false,
          error: { kind: 'deleteConflict', code: conflict.code, detail: conflict.message },
        };
      }
      unindex(user);
      users.delete(id);
      return { ok: true, value: structuredClone(user) };
    },
    getUser: (id) => {
      const user = users.get(id);
      return user === undefined ? undefined : structuredClone(user);
    },
    findUserByName(userName) {
      const id = idsByUserName.get(foldUserName(userName));
      return id === undefined ? undefined : structuredClone(users.get(id));
    },
    updateDependents(id, change) {
      const user = users.get(id);
      if (user === undefined) return { ok: false, error: notFound(id) };
      const draft = structuredClone(user.dependents);
      const result = change(draft, structuredClone(user));
      if (result.ok) user.dependents = draft;
      return result;
    },
    listUsers: () => [...users.values()].map((user) => structuredClone(user)),
    seedUser(input) {
      const seed = RamUserSeedSchema.parse(input);
      const attributes = {
        userName: seed.userName,
        displayName: seed.displayName ?? seed.userName,
        externalId: seed.externalId,
      };
      const problem =
        explainInvalidUserName(attributes.userName) ??
        explainInvalidDisplayName(attributes.displayName, displayNameMaxLength);
      if (problem !== undefined) throw new RangeError(problem);
      const clash = findClash(attributes);
      if (clash !== undefined) throw new RangeError(clash.detail);
      const dependents = createEmptyDependents();
      if (seed.dependents !== undefined) {
        addSeededDependents(dependents, seed.dependents, {
          now: clock.now(),
          accountId: options.accountId,
          userName: attributes.userName,
        });
      }
      const user = insert(attributes, seed.source ?? 'console');
      user.dependents = dependents;
      registerInCatalog(user);
      return structuredClone(user);
    },
    addDependents(id, seed) {
      const user = requireUser(id);
      addSeededDependents(user.dependents, seed, {
        now: clock.now(),
        accountId: options.accountId,
        userName: user.userName,
      });
      registerInCatalog(user);
      return structuredClone(user);
    },
    clearDependents(id, kinds = []) {
      const user = requireUser(id);
      const device = user.dependents.mfaDevice;
      clearDependents(user.dependents, kinds);
      if (device !== null && user.dependents.mfaDevice === null) {
        options.catalog?.setMfaBinding(device.serialNumber, null);
      }
      return structuredClone(user);
    },
    reset() {
      users.clear();
      idsByUserName.clear();
      idsByExternalId.clear();
    },
  };
}

function notFound(id: string): RamDirectoryError {
  return { kind: 'notFound', detail: `The RAM user ${id} does not exist` };
}
