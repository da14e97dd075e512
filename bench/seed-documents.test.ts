import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeResource } from '../src/scim/resource/normalize-resource.ts';
import { getResourceType } from '../src/scim/schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA } from '../src/scim/schema/schema-urns.ts';
import { assertCanonicalSample } from './assert-canonical-sample.ts';
import {
  benchGroupId,
  benchUserId,
  benchUserName,
  buildGroupDocument,
  buildUserDocument,
  buildUserRecord,
  groupMemberNumbers,
  MEMBERS_PER_GROUP,
} from './seed-documents.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('seed documents', () => {
  it('derives UUID-shaped ids that are deterministic and distinct', () => {
    const ids = new Set<string>();
    for (let n = 1; n <= 50_000; n++) {
      const id = benchUserId(n);
      assert.match(id, UUID);
      ids.add(id);
    }
    assert.equal(ids.size, 50_000);
    assert.equal(benchUserId(42), benchUserId(42));
    assert.notEqual(benchUserId(7), benchGroupId(7));
    assert.match(benchGroupId(7), UUID);
  });

  it('builds user documents that normalizeResource leaves exactly as they are', () => {
    for (const n of [1, 2, 9, 10, 11, 999_999, 1_000_000]) {
      const doc = buildUserDocument(n);
      const normalized = normalizeResource(getResourceType('User'), doc, 'create').doc;
      assert.equal(JSON.stringify(normalized), JSON.stringify(doc));
    }
    const group = buildGroupDocument(3);
    assert.deepEqual(normalizeResource(getResourceType('Group'), group, 'create').doc, group);
    assert.doesNotThrow(() => assertCanonicalSample(1_000, 100));
  });

  it('gives every user the attributes of the issue, the first user no manager of its own', () => {
    const doc = buildUserDocument(25);
    assert.equal(doc.userName, benchUserName(25));
    assert.deepEqual(doc.emails, [{ value: 'user25@example.com', type: 'work', primary: true }]);
    const enterprise = doc[ENTERPRISE_USER_SCHEMA] as Record<string, unknown>;
    assert.deepEqual(enterprise.manager, { value: benchUserId(2) });
    assert.equal(enterprise.employeeNumber, '100025');
    assert.equal(
      (buildUserDocument(1)[ENTERPRISE_USER_SCHEMA] as Record<string, unknown>).manager,
      undefined,
    );
    const record = buildUserRecord(25);
    assert.equal(record.id, benchUserId(25));
    assert.equal(record.createdAt, record.lastModified);
  });

  it('spreads distinct group members over the whole user range', () => {
    for (const [g, users] of [
      [1, 1_000_000],
      [77, 10],
      [5, 3],
    ] as const) {
      const members = groupMemberNumbers(g, users);
      assert.equal(new Set(members).size, members.length);
      assert.equal(members.length, Math.min(MEMBERS_PER_GROUP, users));
      for (const n of members) assert.ok(n >= 1 && n <= users, `${n} in 1..${users}`);
    }
  });
});
