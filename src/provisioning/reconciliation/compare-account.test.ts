import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareAccount } from './compare-account.ts';

const preserve = { valueCase: 'preserve' } as const;
const lower = { valueCase: 'lower' } as const;

describe('compareAccount', () => {
  it('reports each differing mapped attribute, target value → desired value', () => {
    const drifts = compareAccount(
      { userName: 'alice', displayName: 'Renamed', externalId: 'u1', meta: { created: 'x' } },
      { userName: 'alice', displayName: 'Alice', externalId: 'u1' },
      preserve,
    );
    assert.deepEqual(drifts, [{ attribute: 'displayName', target: 'Renamed', desired: 'Alice' }]);
  });

  it('compares userName case-insensitively everywhere, every text on a lower-casing target (RAM)', () => {
    assert.deepEqual(
      compareAccount({ userName: 'ALICE', displayName: 'Alice' }, { userName: 'alice' }, preserve),
      [],
    );
    assert.equal(compareAccount({ displayName: 'Alice' }, { displayName: 'alice' }, preserve).length, 1);
    assert.deepEqual(compareAccount({ displayName: 'Alice' }, { displayName: 'alice' }, lower), []);
  });

  it('treats absent, null, empty text and empty lists as no value', () => {
    assert.deepEqual(compareAccount({ title: '' }, { title: null, nickName: null }, preserve), []);
    assert.deepEqual(compareAccount({}, { title: 'Boss' }, preserve), [
      { attribute: 'title', target: null, desired: 'Boss' },
    ]);
    assert.deepEqual(compareAccount({ title: 'Boss' }, { title: null }, preserve), [
      { attribute: 'title', target: 'Boss', desired: null },
    ]);
  });

  it('reads value paths, sub-attributes and extension attributes', () => {
    const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const document = {
      name: { givenName: 'Ann' },
      emails: [
        { type: 'home', value: 'ann@home.test' },
        { type: 'work', value: 'ann@work.test' },
      ],
      [enterprise]: { department: 'Ops' },
    };
    const desired = {
      'name.givenName': 'Ann',
      'emails[type eq "work"].value': 'ann@work.test',
      [`${enterprise}:department`]: 'Sales',
    };
    assert.deepEqual(compareAccount(document, desired, preserve), [
      { attribute: `${enterprise}:department`, target: 'Ops', desired: 'Sales' },
    ]);
  });

  it('compares booleans sent as text, dateTimes as instants and lists as sets', () => {
    assert.deepEqual(compareAccount({ active: 'True' }, { active: true }, preserve), []);
    assert.equal(compareAccount({ active: false }, { active: true }, preserve).length, 1);
    assert.deepEqual(
      compareAccount(
        { meta: { lastModified: '2024-01-01T01:00:00+01:00' } },
        { 'meta.lastModified': '2024-01-01T00:00:00.000Z' },
        preserve,
      ),
      [],
    );
    assert.deepEqual(
      compareAccount(
        { emails: [{ value: 'b@x' }, { value: 'a@x' }] },
        { 'emails.value': ['a@x', 'b@x'] },
        preserve,
      ),
      [],
    );
  });
});
