import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orgUnitPath } from './org-unit-path.ts';

describe('orgUnitPath', () => {
  it('lists the OUs from the base down to the entry', () => {
    assert.deepEqual(orgUnitPath('uid=a,ou=Eng,ou=People,dc=example,dc=test', 'dc=example,dc=test'), [
      'People',
      'Eng',
    ]);
    assert.deepEqual(
      orgUnitPath('uid=a,ou=Eng,ou=People,dc=example,dc=test', 'ou=People,dc=example,dc=test'),
      ['Eng'],
    );
    assert.deepEqual(orgUnitPath('uid=a,dc=example,dc=test', 'dc=example,dc=test'), []);
  });

  it('handles escaped commas in the entry and the OU names', () => {
    assert.deepEqual(
      orgUnitPath('cn=Smith\\, John,ou=R\\2CD,ou=People,dc=example,dc=test', 'dc=example,dc=test'),
      ['People', 'R,D'],
    );
  });

  it("gives an OU entry its parent's path and skips containers that are not OUs (AD CN=Users)", () => {
    assert.deepEqual(orgUnitPath('ou=Eng,ou=People,dc=example,dc=test', 'dc=example,dc=test'), ['People']);
    assert.deepEqual(orgUnitPath('CN=Jo,CN=Users,OU=Sales,DC=corp,DC=example', 'DC=corp,DC=example'), [
      'Sales',
    ]);
  });

  it('is undefined outside the base', () => {
    assert.equal(orgUnitPath('uid=a,ou=Eng,dc=other,dc=test', 'dc=example,dc=test'), undefined);
  });
});
