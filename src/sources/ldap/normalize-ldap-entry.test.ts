import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeLdapEntry } from './normalize-ldap-entry.ts';

describe('normalizeLdapEntry', () => {
  it('lowercases names, makes every value a string array and picks the key', () => {
    const entry = normalizeLdapEntry(
      { dn: 'uid=a,dc=x', uid: 'a', objectClass: ['top', 'person'], entryUUID: 'ABC-1', empty: [] },
      'entryUUID',
    );
    assert.deepEqual(entry, {
      dn: 'uid=a,dc=x',
      attributes: { uid: ['a'], objectclass: ['top', 'person'], entryuuid: ['ABC-1'] },
      key: 'abc-1',
    });
  });

  it('renders objectGUID as a GUID and other binary values as base64', () => {
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const entry = normalizeLdapEntry(
      { dn: 'CN=a,DC=x', objectGUID: guid, objectSid: Buffer.from([1, 2, 3]), photo: [Buffer.from('hi')] },
      'objectGUID',
    );
    assert.equal(entry.key, '33221100-5544-7766-8899-aabbccddeeff');
    assert.deepEqual(entry.attributes.objectsid, ['AQID']);
    assert.deepEqual(entry.attributes.photo, ['aGk=']);
  });

  it('leaves the key undefined when the entry lacks it', () => {
    assert.equal(normalizeLdapEntry({ dn: 'cn=a' }, 'entryUUID').key, undefined);
  });
});
