import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTERPRISE_USER } from '../../../test/support/rfc-7643-users.ts';
import { TARGET_PROFILE_NAMES, TARGET_PROFILES } from '../../targets/profiles/target-profiles.ts';
import { applyMapping } from './apply-mapping.ts';
import { compileMapping } from './compile-mapping.ts';
import { defaultMapping } from './default-mappings.ts';

describe('defaultMapping', () => {
  for (const name of TARGET_PROFILE_NAMES) {
    it(`compiles and applies for ${name}`, () => {
      const profile = TARGET_PROFILES[name];
      const mapping = defaultMapping(name);
      const users = compileMapping(mapping.user, { profile, resourceType: 'User' });
      assert.ok(users.ok, JSON.stringify(!users.ok && users.errors));
      const groups = compileMapping(mapping.group, { profile, resourceType: 'Group' });
      assert.ok(groups.ok, JSON.stringify(!groups.ok && groups.errors));
      const applied = applyMapping(users.compiled, ENTERPRISE_USER, { operation: 'create' });
      assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.errors));
    });
  }

  it('maps RAM as IDaaS does (externalId ← id, displayName ← Coalesce(displayName, userName)), with userName without its domain', () => {
    const compiled = compileMapping(defaultMapping('alibaba-ram').user, {
      profile: TARGET_PROFILES['alibaba-ram'],
      resourceType: 'User',
    });
    assert.ok(compiled.ok);
    const applied = applyMapping(
      compiled.compiled,
      { id: 'U1', userName: 'Bob@Example.com' },
      { operation: 'create' },
    );
    assert.ok(applied.ok);
    assert.deepEqual(applied.document, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      externalId: 'u1',
      userName: 'bob',
      displayName: 'bob@example.com',
    });
  });

  it('returns a fresh copy each time', () => {
    const a = defaultMapping('generic-scim');
    a.user.pop();
    assert.notEqual(defaultMapping('generic-scim').user.length, a.user.length);
  });
});
