import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTERPRISE_USER } from '../../../test/support/rfc-7643-users.ts';
import { parseFilter } from '../../scim/filter/parse-filter.ts';
import { TARGET_PROFILES } from '../../targets/profiles/target-profiles.ts';
import { buildMatchFilters, checkMatching, MatchingSchema } from './match-accounts.ts';

const SCIM = TARGET_PROFILES['generic-scim'];
const RAM = TARGET_PROFILES['alibaba-ram'];
const AWS = TARGET_PROFILES['aws-identity-center'];

describe('buildMatchFilters', () => {
  it('gives one eq filter per rule, in order', () => {
    const result = buildMatchFilters(
      [
        { sourceAttribute: 'userName', targetAttribute: 'userName' },
        { sourceAttribute: 'id', targetAttribute: 'externalId' },
      ],
      ENTERPRISE_USER,
      SCIM,
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.filters.map((f) => f.filter),
      [
        'userName eq "bjensen@enterprise.example.com"',
        'externalId eq "2819c223-7f76-453a-919d-413861904646"',
      ],
    );
  });

  it('escapes quotes and backslashes as RFC 7644 (JSON) strings', () => {
    const result = buildMatchFilters(
      [{ sourceAttribute: 'userName', targetAttribute: 'userName' }],
      { userName: 'a"b\\c' },
      SCIM,
    );
    assert.ok(result.ok);
    const filter = result.filters[0]?.filter ?? '';
    assert.equal(filter, 'userName eq "a\\"b\\\\c"');
    assert.deepEqual(parseFilter(filter), {
      kind: 'compare',
      path: { name: 'userName' },
      op: 'eq',
      value: 'a"b\\c',
    });
  });

  it('lower-cases values for RAM and refuses attributes it cannot filter on', () => {
    const ok = buildMatchFilters(
      [{ sourceAttribute: 'displayName', targetAttribute: 'userName' }],
      ENTERPRISE_USER,
      RAM,
    );
    assert.ok(ok.ok);
    assert.equal(ok.filters[0]?.filter, 'userName eq "babs jensen"');
    const refused = buildMatchFilters(
      [{ sourceAttribute: 'displayName', targetAttribute: 'displayName' }],
      ENTERPRISE_USER,
      RAM,
    );
    assert.deepEqual(refused, {
      ok: false,
      errors: [
        {
          index: 0,
          field: 'targetAttribute',
          message: 'Alibaba Cloud RAM can filter Users only on id, userName, externalId',
        },
      ],
    });
  });

  it('skips rules without a single source value', () => {
    const result = buildMatchFilters(
      [
        { sourceAttribute: 'employeeId', targetAttribute: 'externalId' },
        { sourceAttribute: 'emails.value', targetAttribute: 'userName' },
        { sourceAttribute: 'userName', targetAttribute: 'userName' },
      ],
      { userName: 'u', emails: [{ value: 'a' }, { value: 'b' }] },
      AWS,
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.skipped.map((s) => s.index),
      [0, 1],
    );
    assert.deepEqual(
      result.filters.map((f) => f.filter),
      ['userName eq "u"'],
    );
  });

  it('builds value-path filters where the target allows any attribute', () => {
    const result = buildMatchFilters(
      [{ sourceAttribute: 'mail', targetAttribute: 'emails[type eq "work"].value' }],
      ENTERPRISE_USER,
      SCIM,
    );
    assert.ok(result.ok);
    assert.equal(result.filters[0]?.filter, 'emails[type eq "work" and value eq "bjensen@example.com"]');
    assert.doesNotThrow(() => parseFilter(result.filters[0]?.filter ?? ''));
  });
});

describe('checkMatching', () => {
  it('reports unknown source and target attributes', () => {
    const result = checkMatching([{ sourceAttribute: 'nope', targetAttribute: 'nope' }], SCIM);
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.errors.map((e) => e.field), ['sourceAttribute', 'targetAttribute']);
  });

  it('is validated by MatchingSchema', () => {
    assert.equal(MatchingSchema.safeParse([]).success, false);
    assert.equal(
      MatchingSchema.safeParse([{ sourceAttribute: 'userName', targetAttribute: 'userName' }]).success,
      true,
    );
  });
});
