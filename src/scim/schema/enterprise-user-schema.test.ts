import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTERPRISE_USER_SCHEMA_DEFINITION } from './enterprise-user-schema.ts';
import { ENTERPRISE_USER_SCHEMA } from './schema-urns.ts';

describe('ENTERPRISE_USER_SCHEMA_DEFINITION', () => {
  const byName = Object.fromEntries(ENTERPRISE_USER_SCHEMA_DEFINITION.attributes.map((a) => [a.name, a]));

  it('identifies itself as RFC 7643 §8.7.1 does', () => {
    assert.equal(ENTERPRISE_USER_SCHEMA_DEFINITION.id, ENTERPRISE_USER_SCHEMA);
    assert.equal(ENTERPRISE_USER_SCHEMA_DEFINITION.name, 'EnterpriseUser');
    assert.equal(ENTERPRISE_USER_SCHEMA_DEFINITION.description, 'Enterprise User');
  });

  it('has the six attributes, the five strings optional, readWrite and case-insensitive', () => {
    assert.deepEqual(Object.keys(byName), [
      'employeeNumber',
      'costCenter',
      'organization',
      'division',
      'department',
      'manager',
    ]);
    for (const name of ['employeeNumber', 'costCenter', 'organization', 'division', 'department']) {
      const a = byName[name];
      assert.ok(a);
      assert.deepEqual(
        [a.type, a.multiValued, a.required, a.caseExact, a.mutability, a.returned, a.uniqueness],
        ['string', false, false, false, 'readWrite', 'default', 'none'],
        name,
      );
    }
  });

  it('has a single-valued manager whose displayName is read-only', () => {
    const manager = byName.manager;
    assert.ok(manager);
    assert.equal(manager.type, 'complex');
    assert.equal(manager.multiValued, false);
    assert.equal(manager.mutability, 'readWrite');
    const subs = Object.fromEntries((manager.subAttributes ?? []).map((s) => [s.name, s]));
    assert.deepEqual(Object.keys(subs), ['value', '$ref', 'displayName']);
    assert.equal(subs.value?.type, 'string');
    assert.equal(subs.value?.required, false);
    assert.equal(subs.value?.mutability, 'readWrite');
    assert.equal(subs.$ref?.type, 'reference');
    assert.deepEqual(subs.$ref?.referenceTypes, ['User']);
    assert.equal(subs.displayName?.mutability, 'readOnly');
  });
});
