import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { matchesRamFilter, parseRamFilter, type RamFilterCondition } from './ram-scim-filter.ts';
import { createEmptyDependents, type RamUser } from './ram-user.ts';
import { RamScimError } from './scim-error-reply.ts';

const USER: RamUser = {
  id: '2764849816527301',
  userName: 'Alice.Smith',
  displayName: 'Alice Smith',
  externalId: 'Ext-1',
  source: 'scim',
  created: 0,
  lastModified: 0,
  dependents: createEmptyDependents(),
};

function refusal(filter: string): string {
  try {
    parseRamFilter(filter);
  } catch (error) {
    assert.ok(error instanceof RamScimError);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, 'invalidFilter');
    return error.message;
  }
  assert.fail(`${filter} was accepted`);
}

describe('parseRamFilter', () => {
  it('reads the guide’s lookups: eq on userName, externalId and id', () => {
    assert.deepEqual(parseRamFilter('userName eq "j2gg0screatedbyscim"'), [
      { attribute: 'userName', value: 'j2gg0screatedbyscim' },
    ]);
    assert.deepEqual(parseRamFilter('externalId eq "6e74eec4"'), [
      { attribute: 'externalId', value: '6e74eec4' },
    ]);
    assert.deepEqual(parseRamFilter('id eq "27648498165273"'), [
      { attribute: 'id', value: '27648498165273' },
    ]);
  });

  it('joins comparisons with and; names, operators and the URN prefix are case-insensitive', () => {
    assert.deepEqual(
      parseRamFilter(
        ' USERNAME EQ "a"  AND urn:ietf:params:scim:schemas:core:2.0:User:externalId eq "b" and Id Eq "c" ',
      ),
      [
        { attribute: 'userName', value: 'a' },
        { attribute: 'externalId', value: 'b' },
        { attribute: 'id', value: 'c' },
      ],
    );
  });

  it('decodes JSON string escapes', () => {
    assert.deepEqual(parseRamFilter('userName eq "a\\"b\\u0041"'), [
      { attribute: 'userName', value: 'a"bA' },
    ]);
  });

  it('refuses everything RAM does not support, saying what', () => {
    assert.match(refusal('userName eq "a" or userName eq "b"'), /"or"/);
    assert.match(refusal('not (userName eq "a")'), /"not"/);
    assert.match(refusal('(userName eq "a")'), /parentheses/);
    assert.match(refusal('userName co "a"'), /only the eq operator \(not "co"\)/);
    assert.match(refusal('userName sw "a"'), /only the eq operator/);
    assert.match(refusal('userName pr'), /only the eq operator \(not "pr"\)/);
    assert.match(refusal('displayName eq "a"'), /only on id, userName and externalId/);
    assert.match(refusal('emails[type eq "work"]'), /value filters/);
    assert.match(refusal('userName eq a'), /quoted strings/);
    assert.match(refusal('id eq 27648498165273'), /quoted strings/);
    assert.match(refusal('userName eq "a'), /not closed/);
    assert.match(refusal('   '), /empty/);
    assert.match(refusal('userName eq "a" and'), /Expected an attribute|space/);
    assert.match(refusal('userName eq "a"and id eq "b"'), /Unexpected|only eq/);
  });

  it('round-trips any list of conditions it prints (property)', () => {
    const condition = fc.record({
      attribute: fc.constantFrom<RamFilterCondition['attribute']>('id', 'userName', 'externalId'),
      value: fc.string(),
    });
    fc.assert(
      fc.property(fc.array(condition, { minLength: 1, maxLength: 5 }), (conditions) => {
        const text = conditions
          .map(({ attribute, value }) => `${attribute} eq ${JSON.stringify(value)}`)
          .join(' and ');
        assert.deepEqual(
          parseRamFilter(text),
          conditions.map((item) => ({ ...item })),
        );
      }),
    );
  });
});

describe('matchesRamFilter', () => {
  it('matches userName case-insensitively, id and externalId exactly, and every condition', () => {
    assert.ok(matchesRamFilter(USER, parseRamFilter('userName eq "alice.smith"')));
    assert.ok(matchesRamFilter(USER, parseRamFilter('externalId eq "Ext-1" and id eq "2764849816527301"')));
    assert.ok(!matchesRamFilter(USER, parseRamFilter('externalId eq "ext-1"')));
    assert.ok(!matchesRamFilter(USER, parseRamFilter('userName eq "alice.smith" and externalId eq "other"')));
  });

  it('never matches externalId on a user without one', () => {
    const { externalId: _externalId, ...withoutExternalId } = USER;
    assert.ok(!matchesRamFilter(withoutExternalId, parseRamFilter('externalId eq ""')));
  });
});
