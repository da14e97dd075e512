/**
 * Alibaba Cloud IDaaS lower-cases the values it sends, and Okta's spec test plan filters on an
 * upper-cased userName. Neither needs a quirk: userName is caseExact false (RFC 7643 §4.1.1), so
 * the filter evaluator folds case on both sides. These tests pin that behaviour.
 * Sources: Alibaba Cloud, "Use SCIM to synchronize accounts to RAM" (IDaaS); Okta SCIM 2.0 spec
 * test plan.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateFilter } from '../filter/evaluate-filter.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import { resolveFilter } from '../filter/resolve-filter.ts';
import { normalizeResource } from '../resource/normalize-resource.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { USER_SCHEMA } from '../schema/schema-urns.ts';

const USER = getResourceType('User');
const matches = (filter: string, resource: Record<string, unknown>) =>
  evaluateFilter(resolveFilter(parseFilter(filter), USER), resource, USER);

describe('case-insensitive userName lookups', () => {
  it('IDaaS stores "alice" lower-cased; a lookup by userName eq "Alice" still finds it', () => {
    const { doc } = normalizeResource(
      USER,
      { schemas: [USER_SCHEMA], userName: 'alice', externalId: 'A-1' },
      'create',
    );
    assert.equal(doc.userName, 'alice');
    assert.ok(matches('userName eq "Alice"', doc));
    assert.ok(matches('userName eq "ALICE" and externalId eq "A-1"', doc));
  });

  it("Okta's spec test: a filter on an upper-cased userName matches the stored one", () => {
    const { doc } = normalizeResource(
      USER,
      { schemas: [USER_SCHEMA], userName: 'test.user@okta.local' },
      'create',
    );
    assert.ok(matches('userName eq "TEST.USER@OKTA.LOCAL"', doc));
  });

  it('externalId stays caseExact (RFC 7643 §3.1)', () => {
    const { doc } = normalizeResource(
      USER,
      { schemas: [USER_SCHEMA], userName: 'alice', externalId: 'A-1' },
      'create',
    );
    assert.ok(!matches('externalId eq "a-1"', doc));
  });
});
