import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../errors.ts';
import type { PatchPath } from './filter-ast.ts';
import { parsePatchPath } from './parse-patch-path.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('parsePatchPath (RFC 7644 §3.5.2.1–3)', () => {
  const cases: readonly (readonly [string, PatchPath])[] = [
    ['members', { attribute: { name: 'members' } }],
    ['name.familyName', { attribute: { name: 'name', sub: 'familyName' } }],
    [
      'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
      {
        attribute: { name: 'members' },
        filter: {
          kind: 'compare',
          path: { name: 'value' },
          op: 'eq',
          value: '2819c223-7f76-453a-919d-413861904646',
        },
      },
    ],
    [
      'emails[type eq "work"].value',
      {
        attribute: { name: 'emails' },
        filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
        subAttribute: 'value',
      },
    ],
    [
      'addresses[type eq "work"]',
      {
        attribute: { name: 'addresses' },
        filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
      },
    ],
    [
      'members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName',
      {
        attribute: { name: 'members' },
        filter: {
          kind: 'compare',
          path: { name: 'value' },
          op: 'eq',
          value: '2819c223-7f76-453a-919d-413861904646',
        },
        subAttribute: 'displayName',
      },
    ],
    [
      'addresses[type eq "work" and streetAddress pr].streetAddress',
      {
        attribute: { name: 'addresses' },
        filter: {
          kind: 'and',
          left: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
          right: { kind: 'present', path: { name: 'streetAddress' } },
        },
        subAttribute: 'streetAddress',
      },
    ],
    [`${ENTERPRISE}:employeeNumber`, { attribute: { uri: ENTERPRISE, name: 'employeeNumber' } }],
    [`${ENTERPRISE}:manager.value`, { attribute: { uri: ENTERPRISE, name: 'manager', sub: 'value' } }],
    [
      'urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value',
      {
        attribute: { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', name: 'emails' },
        filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
        subAttribute: 'value',
      },
    ],
    [
      ' emails[ type EQ "work" ] ',
      {
        attribute: { name: 'emails' },
        filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
      },
    ],
  ];
  for (const [text, expected] of cases) {
    it(`parses ${text}`, () => assert.deepStrictEqual(parsePatchPath(text), expected));
  }
});

describe('parsePatchPath errors', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['', 'Invalid path at position 0: expected an attribute name but reached the end of the path'],
    ['name.givenName eq "x"', 'Invalid path at position 15: expected the end of the path but found "eq"'],
    [
      'emails[type eq "work"',
      'Invalid path at position 21: expected "and", "or" or "]" but reached the end of the path',
    ],
    ['emails[type eq "work"].', 'Invalid path at position 23: expected an attribute name after "]."'],
    [
      'emails[type eq "work"].value.x',
      'Invalid path at position 23: "value.x" is not a valid attribute name after "]."',
    ],
    [
      'emails[type eq "work"]value',
      'Invalid path at position 22: expected the end of the path but found "value"',
    ],
    [
      'emails[type eq work]',
      'Invalid path at position 15: expected a value (a "string", a number, true, false or null) after "eq" but found "work"',
    ],
    [
      'name.givenName[x pr]',
      'Invalid path at position 14: "[" must follow an attribute, not the sub-attribute path "name.givenName"',
    ],
    ['emails[value[x pr]]', 'Invalid path at position 12: value filters cannot be nested: "[" inside "[…]"'],
    [
      'a.b.c',
      'Invalid path at position 3: an attribute path has at most one sub-attribute, "a.b.c" has more',
    ],
  ];
  for (const [text, detail] of cases) {
    it(`rejects ${JSON.stringify(text)} as invalidPath`, () => {
      assert.throws(
        () => parsePatchPath(text),
        (error: unknown) =>
          error instanceof ScimError &&
          error.status === 400 &&
          error.scimType === 'invalidPath' &&
          error.message === detail,
      );
    });
  }

  it('rejects hostile nesting and length as invalidPath', () => {
    assert.throws(() => parsePatchPath(`a[${'('.repeat(100)}`), { scimType: 'invalidPath' });
    assert.throws(() => parsePatchPath('a'.repeat(10_001)), { scimType: 'invalidPath' });
  });

  it('throws nothing but a ScimError invalidPath for random input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        try {
          parsePatchPath(text);
        } catch (error) {
          assert.ok(error instanceof ScimError && error.scimType === 'invalidPath', String(error));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
