import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUP_SCHEMA_DEFINITION } from './group-schema.ts';
import { GROUP_SCHEMA } from './schema-urns.ts';

describe('GROUP_SCHEMA_DEFINITION', () => {
  const [displayName, members, ...rest] = GROUP_SCHEMA_DEFINITION.attributes;

  it('identifies itself as RFC 7643 §8.7.1 does and has displayName and members only', () => {
    assert.equal(GROUP_SCHEMA_DEFINITION.id, GROUP_SCHEMA);
    assert.equal(GROUP_SCHEMA_DEFINITION.name, 'Group');
    assert.equal(GROUP_SCHEMA_DEFINITION.description, 'Group');
    assert.equal(rest.length, 0);
  });

  it('makes displayName required and unique on the server, case-insensitively', () => {
    assert.ok(displayName);
    assert.equal(displayName.name, 'displayName');
    assert.equal(displayName.type, 'string');
    assert.equal(displayName.required, true);
    assert.equal(displayName.caseExact, false);
    assert.equal(displayName.uniqueness, 'server');
    assert.equal(displayName.mutability, 'readWrite');
  });

  it('has members with immutable value, $ref and type, and a read-only display', () => {
    assert.ok(members);
    assert.equal(members.type, 'complex');
    assert.equal(members.multiValued, true);
    assert.equal(members.mutability, 'readWrite');
    const subs = Object.fromEntries((members.subAttributes ?? []).map((s) => [s.name, s]));
    assert.deepEqual(Object.keys(subs), ['value', '$ref', 'display', 'type']);
    assert.equal(subs.value?.mutability, 'immutable');
    assert.equal(subs.$ref?.mutability, 'immutable');
    assert.equal(subs.$ref?.type, 'reference');
    assert.deepEqual(subs.$ref?.referenceTypes, ['User', 'Group']);
    assert.equal(subs.display?.mutability, 'readOnly');
    assert.equal(subs.display?.type, 'string');
    assert.equal(subs.type?.mutability, 'immutable');
    assert.deepEqual(subs.type?.canonicalValues, ['User', 'Group']);
  });
});
