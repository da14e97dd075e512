import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { notFound, ScimError } from '../scim/errors.ts';
import { assertIfMatch } from '../scim/etag.ts';
import { applyPatchOperations } from '../scim/patch/apply-patch-operations.ts';
import { parsePatchRequest } from '../scim/patch/parse-patch-request.ts';
import { assertImmutableUnchanged } from '../scim/resource/assert-immutable-unchanged.ts';
import { normalizeResource } from '../scim/resource/normalize-resource.ts';
import { getResourceType } from '../scim/schema/schema-registry.ts';
import type { Storage } from '../storage/open-storage.ts';
import { recordDirectoryChanges } from './directory-changes.ts';
import { createGroupRepository } from './group-repository.ts';
import { createMembershipRepository } from './membership-repository.ts';
import { hashPassword } from './password-hash.ts';
import { extractPasswordOperations } from './password-operations.ts';
import type { ResourceQuery } from './sql/query-resources.ts';
import { withUniqueness } from './unique-conflict.ts';
import { createUserRepository, type UserRecord } from './user-repository.ts';
import type { WriteOptions } from './write-options.ts';

const USER = getResourceType('User');
const MAX_WRITE_ATTEMPTS = 5;

const describeConflict = (doc: Record<string, unknown>) => () =>
  `userName "${String(doc.userName)}" is already taken in this tenant (userName is unique, case-insensitively)`;

/** Users of the directory: SCIM-shaped documents with server-owned id, timestamps and version. */
export function createUserService(storage: Storage) {
  const { db, dialect } = storage;
  const users = createUserRepository(db, dialect);

  const requireUser = async (tenantId: string, id: string, withGroups = false): Promise<UserRecord> => {
    const record = await users.findById(tenantId, id, withGroups);
    if (record === undefined) throw notFound(`User ${id} not found`);
    return record;
  };

  /**
   * Read–modify–write with optimistic concurrency: `change` computes the next record from the current
   * one; a concurrent writer makes the update miss and the change is recomputed, unless the client
   * pinned a version with If-Match, in which case it gets 412.
   */
  const modify = async (
    tenantId: string,
    id: string,
    ifMatch: string | undefined,
    change: (current: UserRecord) => Promise<UserRecord>,
  ): Promise<UserRecord> => {
    for (let attempt = 1; ; attempt++) {
      // Read with the groups: a write to the user does not change them, and the answer shows them.
      const current = await requireUser(tenantId, id, true);
      assertIfMatch(ifMatch, current.version);
      const next = await change(current);
      // Nothing changed (clients re-send what is already there): no write, the version stays.
      if (next === current) return current;
      const stored = await withUniqueness(dialect, describeConflict(next.doc), () =>
        storage.write(async (trx) => {
          const updated = await createUserRepository(trx, dialect).update(tenantId, next, current);
          if (updated) await recordDirectoryChanges(trx, tenantId, 'User', [id], 'upsert');
          return updated;
        }),
      );
      if (stored) return next;
      if (ifMatch !== undefined || attempt >= MAX_WRITE_ATTEMPTS) {
        throw new ScimError(
          412,
          undefined,
          'Precondition failed: the resource was modified concurrently; retry',
        );
      }
    }
  };

  const nextVersion = (
    current: UserRecord,
    doc: Record<string, unknown>,
    passwordHash: string | null,
  ): UserRecord =>
    passwordHash === current.passwordHash && isDeepStrictEqual(doc, current.doc)
      ? current
      : {
          id: current.id,
          createdAt: current.createdAt,
          lastModified: new Date().toISOString(),
          version: current.version + 1,
          doc,
          ...(current.groups !== undefined ? { groups: current.groups } : {}),
          passwordHash,
        };

  return {
    async create(tenantId: string, body: unknown): Promise<UserRecord> {
      const { doc, password } = normalizeResource(USER, body, 'create');
      const now = new Date().toISOString();
      const record: UserRecord = {
        id: randomUUID(),
        createdAt: now,
        lastModified: now,
        version: 1,
        doc,
        passwordHash: password === undefined ? null : await hashPassword(password),
        // A new user is in no group yet.
        groups: [],
      };
      await withUniqueness(dialect, describeConflict(doc), () =>
        storage.write(async (trx) => {
          await createUserRepository(trx, dialect).insert(tenantId, record);
          await recordDirectoryChanges(trx, tenantId, 'User', [record.id], 'upsert');
        }),
      );
      return record;
    },

    get: requireUser,

    /** PUT: the body replaces every writable attribute; readOnly ones are ignored, immutable ones must not change. */
    replace(tenantId: string, id: string, body: unknown, options: WriteOptions = {}): Promise<UserRecord> {
      const { doc, password } = normalizeResource(USER, body, 'replace');
      return modify(tenantId, id, options.ifMatch, async (current) => {
        assertImmutableUnchanged(USER, current.doc, doc);
        // A PUT without a password keeps the existing one: clients never read it back (returned: never).
        const passwordHash = password === undefined ? current.passwordHash : await hashPassword(password);
        return nextVersion(current, doc, passwordHash);
      });
    },

    patch(tenantId: string, id: string, body: unknown, options: WriteOptions = {}): Promise<UserRecord> {
      const { password, operations } = extractPasswordOperations(parsePatchRequest(body));
      return modify(tenantId, id, options.ifMatch, async (current) => {
        const doc = applyPatchOperations(USER, current.doc, operations);
        let passwordHash = current.passwordHash;
        if (password === null) passwordHash = null;
        else if (password !== undefined) passwordHash = await hashPassword(password);
        return nextVersion(current, doc, passwordHash);
      });
    },

    /** Deletes the user and its memberships; the groups it left get a new version. */
    async delete(tenantId: string, id: string, options: WriteOptions = {}): Promise<void> {
      const current = await requireUser(tenantId, id);
      assertIfMatch(options.ifMatch, current.version);
      await storage.write(async (trx) => {
        const groups = await createMembershipRepository(trx, dialect).removeMemberEverywhere(tenantId, id);
        await createGroupRepository(trx, dialect).touch(tenantId, groups, new Date().toISOString());
        const deleted = await createUserRepository(trx, dialect).delete(tenantId, id);
        if (!deleted) throw notFound(`User ${id} not found`);
        await recordDirectoryChanges(trx, tenantId, 'User', [id], 'delete');
        await recordDirectoryChanges(trx, tenantId, 'Group', groups, 'upsert');
      });
    },

    query: (tenantId: string, baseUrl: string, query: ResourceQuery) => users.query(tenantId, baseUrl, query),

    groupsOf: (tenantId: string, userIds: readonly string[]) =>
      createMembershipRepository(db, dialect).groupsOf(tenantId, userIds),
  };
}

export type UserService = ReturnType<typeof createUserService>;
