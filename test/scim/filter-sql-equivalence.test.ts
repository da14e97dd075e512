/**
 * Property: for random users and random filters, the SQL the filter compiles to selects exactly the
 * users the in-memory evaluator accepts, and `sortBy` orders them the same way — on every dialect.
 * This is what makes "a filter is never ignored" checkable: both sides implement RFC 7644 §3.4.2.2.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { foldsCase } from '../../src/directory/sql/compile-filter-sql.ts';
import { createUserRepository, type UserRecord } from '../../src/directory/user-repository.ts';
import { compareCodePoints } from '../../src/scim/filter/compare-values.ts';
import { evaluateFilter } from '../../src/scim/filter/evaluate-filter.ts';
import type { AttributePath, CompareOperator, Filter } from '../../src/scim/filter/filter-ast.ts';
import { printFilter } from '../../src/scim/filter/print-filter.ts';
import { resolveFilter } from '../../src/scim/filter/resolve-filter.ts';
import { renderUser } from '../../src/scim/render/render-resource.ts';
import { normalizeResource } from '../../src/scim/resource/normalize-resource.ts';
import { getResourceType, resolveAttribute } from '../../src/scim/schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestTenant } from '../support/create-test-tenant.ts';
import { userFilterArbitrary, userResourceArbitrary } from '../support/scim-arbitraries.ts';
import { testDialects } from '../support/test-storage.ts';

const USER = getResourceType('User');
const BASE_URL = 'https://scim.example.test/t/p/scim/v2';
const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 60);

const SORT_PATHS: AttributePath[] = [
  { name: 'userName' },
  { name: 'displayName' },
  { name: 'name', sub: 'givenName' },
  { name: 'emails' },
  { name: 'emails', sub: 'type' },
  { name: 'active' },
  { name: 'externalId' },
  { name: 'meta', sub: 'lastModified' },
  { uri: ENTERPRISE_USER_SCHEMA, name: 'employeeNumber' },
];

/** `schemas` comparisons (RFC 7644 §3.4.2.2's example), which the shared arbitrary does not generate. */
const schemasFilterArbitrary: fc.Arbitrary<Filter> = fc.record({
  kind: fc.constant('compare' as const),
  path: fc.constant({ name: 'SCHEMAS' }),
  op: fc.constantFrom<CompareOperator>('eq', 'ne', 'co', 'sw', 'ew', 'gt'),
  value: fc.constantFrom(
    ENTERPRISE_USER_SCHEMA,
    ENTERPRISE_USER_SCHEMA.toUpperCase(),
    'urn:ietf:params:scim:schemas:core:2.0:User',
    'enterprise',
    'urn:',
  ),
});
const filterArbitrary = fc.oneof(
  { arbitrary: userFilterArbitrary, weight: 9 },
  { arbitrary: schemasFilterArbitrary, weight: 1 },
);

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

for (const dialect of dialects) {
  describe(`filter SQL equals the in-memory evaluator (${dialect.name})`, () => {
    let storage: Storage;
    let tenantCounter = 0;
    before(async () => {
      storage = await dialect.open();
    });
    after(() => storage.close());

    /** Seeds users straight into the store, keeping their generated timestamps. */
    const seed = async (resources: Record<string, unknown>[]) => {
      const tenantId = `p${++tenantCounter}`;
      await createTestTenant(storage, tenantId);
      const users = createUserRepository(storage.db, storage.dialect);
      const seen = new Set<string>();
      const stored: { record: UserRecord; rendered: Record<string, unknown> }[] = [];
      for (const resource of resources) {
        const userName = String(resource.userName).toLowerCase();
        if (seen.has(userName)) continue;
        seen.add(userName);
        const { doc } = normalizeResource(USER, resource, 'create');
        const meta = resource.meta as { created: string; lastModified: string };
        const record: UserRecord = {
          id: String(resource.id),
          createdAt: meta.created,
          lastModified: meta.lastModified,
          version: 1,
          doc,
          passwordHash: null,
        };
        await users.insert(tenantId, record);
        stored.push({ record, rendered: renderUser(record, BASE_URL, undefined) });
      }
      return { tenantId, users, stored };
    };

    it('selects the same users for every filter', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(userResourceArbitrary, { maxLength: 12 }),
          fc.array(filterArbitrary, { minLength: 1, maxLength: 8 }),
          async (resources, filters) => {
            const { tenantId, users, stored } = await seed(resources);
            for (const written of filters) {
              const filter = resolveFilter(written, USER);
              const expected = stored
                .filter((s) => evaluateFilter(filter, s.rendered, USER))
                .map((s) => s.record.id);
              const { total, records } = await users.query(tenantId, BASE_URL, {
                filter,
                offset: 0,
                limit: 1000,
              });
              assert.deepEqual(
                records.map((r) => r.id),
                expected,
                `filter ${printFilter(filter)} on ${dialect.name}`,
              );
              assert.equal(total, expected.length);
            }
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('orders the same way for every sortBy and sortOrder', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(userResourceArbitrary, { maxLength: 12 }),
          fc.constantFrom(...SORT_PATHS),
          fc.boolean(),
          async (resources, sortBy, descending) => {
            const { tenantId, users, stored } = await seed(resources);
            const canonical = resolveAttribute(USER, sortBy)!.path;
            const expected = sortInMemory(
              stored.map((s) => s.rendered),
              canonical,
              descending,
            ).map((r) => r.id);
            const { records } = await users.query(tenantId, BASE_URL, {
              sortBy: canonical,
              descending,
              offset: 0,
              limit: 1000,
            });
            assert.deepEqual(
              records.map((r) => r.id),
              expected,
              `sortBy ${sortBy.name}.${sortBy.sub ?? ''} ${descending ? 'desc' : 'asc'}`,
            );
          },
        ),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    });
  });
}

/** RFC 7644 §3.4.2.3 in memory, the reference the SQL ordering is held to. */
function sortInMemory(resources: Record<string, unknown>[], path: AttributePath, descending: boolean) {
  const resolved = resolveAttribute(USER, path)!;
  const keyOf = (resource: Record<string, unknown>): string | number | undefined => {
    const container = (resolved.schema === USER.schema ? resource : resource[resolved.schema]) as
      | Record<string, unknown>
      | undefined;
    let value: unknown = container?.[resolved.definition.name];
    let leaf = resolved.subDefinition ?? resolved.definition;
    if (resolved.definition.multiValued) {
      const elements = (Array.isArray(value) ? value : []) as Record<string, unknown>[];
      const sub = resolved.subDefinition?.name ?? 'value';
      leaf = resolved.definition.subAttributes!.find((a) => a.name === sub)!;
      const present = (e: Record<string, unknown>) => e[sub] !== undefined && e[sub] !== '';
      value = (elements.find((e) => e.primary === true && present(e)) ?? elements.find(present))?.[sub];
    } else if (resolved.subDefinition !== undefined) {
      value = (value as Record<string, unknown> | undefined)?.[resolved.subDefinition.name];
    }
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value !== 'string' || value === '') return undefined;
    return foldsCase(leaf) ? value.toLowerCase() : value;
  };
  const keyed = resources.map((resource, index) => ({ resource, index, key: keyOf(resource) }));
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) {
      if (a.key === b.key) return a.index - b.index;
      const missingFirst = a.key === undefined ? -1 : 1;
      return descending ? missingFirst : -missingFirst;
    }
    const order =
      typeof a.key === 'number' && typeof b.key === 'number'
        ? a.key - b.key
        : compareCodePoints(String(a.key), String(b.key));
    if (order !== 0) return descending ? -order : order;
    return a.index - b.index;
  });
  return keyed.map((k) => k.resource);
}
