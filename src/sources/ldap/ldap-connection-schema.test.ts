import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZodError } from 'zod';
import { parseLdapConnection } from './ldap-connection-schema.ts';

const minimal = {
  url: 'ldap://ldap.example.test',
  bindDn: 'cn=reader,dc=example,dc=test',
  bindPassword: 'p4ss-w0rd',
  baseDns: [{ dn: 'dc=example,dc=test' }],
};

const issuesOf = (input: unknown) => {
  try {
    parseLdapConnection(input);
    return [];
  } catch (error) {
    assert.ok(error instanceof ZodError);
    return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }
};

describe('parseLdapConnection', () => {
  it('fills OpenLDAP defaults', () => {
    const connection = parseLdapConnection(minimal);
    assert.equal(connection.startTls, false);
    assert.equal(connection.pageSize, 500);
    assert.equal(connection.keyAttribute, 'entryUUID');
    assert.equal(connection.watermarkAttribute, 'entryCSN');
    assert.deepEqual(connection.binaryAttributes, []);
    assert.deepEqual(connection.baseDns, [
      { dn: 'dc=example,dc=test', filter: '(objectClass=*)', scope: 'sub' },
    ]);
  });

  it('fills Active Directory defaults: objectGUID read as bytes, uSNChanged', () => {
    const connection = parseLdapConnection({ ...minimal, directory: 'active-directory' });
    assert.equal(connection.keyAttribute, 'objectGUID');
    assert.equal(connection.watermarkAttribute, 'uSNChanged');
    assert.deepEqual(connection.binaryAttributes, ['objectGUID', 'objectSid']);
    const custom = parseLdapConnection({
      ...minimal,
      directory: 'active-directory',
      binaryAttributes: ['jpegPhoto'],
    });
    assert.deepEqual(custom.binaryAttributes, ['jpegPhoto', 'objectGUID']);
  });

  it('names the wrong setting, never echoing the password', () => {
    assert.deepEqual(issuesOf({ ...minimal, url: 'http://x' }), [
      'url: must be ldap://host[:port] or ldaps://host[:port]',
    ]);
    assert.deepEqual(issuesOf({ ...minimal, url: 'ldaps://x:636', startTls: true }), [
      'startTls: startTls applies to ldap:// URLs only (ldaps:// is already TLS)',
    ]);
    assert.match(
      issuesOf({ ...minimal, baseDns: [{ dn: 'dc=x', filter: '(uid=' }] }).join(),
      /baseDns.0.filter: must be an LDAP filter/,
    );
    assert.deepEqual(issuesOf({ ...minimal, baseDns: [] }), ['baseDns: needs at least one base DN']);
    assert.deepEqual(issuesOf({ ...minimal, bindPassword: '' }), ['bindPassword: must not be empty']);
    assert.ok(!JSON.stringify(issuesOf({ ...minimal, url: 42 })).includes(minimal.bindPassword));
  });
});
