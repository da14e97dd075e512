import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSourceMapping } from '../mapping/compile-source-mapping.ts';
import { buildLdapSnapshot } from './build-ldap-snapshot.ts';
import { parseLdapConnection } from './ldap-connection-schema.ts';

const BASE = 'dc=example,dc=test';
const connection = parseLdapConnection({
  url: 'ldap://127.0.0.1:389',
  bindDn: `cn=reader,${BASE}`,
  bindPassword: 'secret',
  baseDns: [{ dn: BASE, filter: '(objectClass=*)', scope: 'sub' }],
});
const compile = (mapping: Record<string, string>) => {
  const compiled = compileSourceMapping(mapping);
  assert.ok(compiled.ok);
  return compiled.value;
};
const person = (uid: string, key: string, memberOf: string[] = []) => ({
  dn: `uid=${uid},ou=People,${BASE}`,
  key,
  attributes: {
    objectclass: ['inetOrgPerson'],
    uid: [uid],
    cn: [uid],
    ...(memberOf.length > 0 ? { memberof: memberOf } : {}),
  },
});

describe('buildLdapSnapshot', () => {
  it("adds users to groups named by their memberOf, as AD and OpenLDAP's memberof overlay report it", () => {
    const groupDn = `cn=Staff,ou=Groups,${BASE}`;
    const { snapshot, problems } = buildLdapSnapshot(
      [
        person('ann', 'k-ann', [groupDn]),
        person('bob', 'k-bob', [`CN=Staff,OU=Groups,${BASE.toUpperCase()}`]),
        person('cid', 'k-cid'),
        {
          dn: groupDn,
          key: 'k-staff',
          attributes: { objectclass: ['groupOfNames'], cn: ['Staff'], member: [`uid=cid,ou=People,${BASE}`] },
        },
      ],
      {
        connection,
        users: compile({ userName: 'uid' }),
        groups: compile({ displayName: 'cn' }),
        complete: true,
      },
    );
    assert.deepEqual(problems, []);
    const staff = snapshot.groups.find((group) => group.key === 'k-staff');
    assert.deepEqual([...(staff?.memberKeys ?? [])].sort(), ['k-ann', 'k-bob', 'k-cid']);
  });
});
