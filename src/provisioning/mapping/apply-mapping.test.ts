import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ENTERPRISE_USER } from '../../../test/support/rfc-7643-users.ts';
import { userResourceArbitrary } from '../../../test/support/scim-arbitraries.ts';
import { TARGET_PROFILE_NAMES, TARGET_PROFILES } from '../../targets/profiles/target-profiles.ts';
import { applyMapping, diffMappedAttributes } from './apply-mapping.ts';
import type { AttributeMappingInput } from './attribute-mapping.ts';
import { type CompiledMapping, compileMapping } from './compile-mapping.ts';
import { defaultMapping } from './default-mappings.ts';

const SCIM = TARGET_PROFILES['generic-scim'];
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function compile(list: AttributeMappingInput[], profile = SCIM): CompiledMapping {
  const result = compileMapping(list, { profile, resourceType: 'User' });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.compiled;
}

const attr = (target: string, path: string): AttributeMappingInput => ({
  target,
  source: { kind: 'attribute', path },
});

describe('applyMapping', () => {
  it('builds nested, value-path and extension targets into one SCIM document', () => {
    const compiled = compile([
      attr('userName', 'userName'),
      attr('name.givenName', 'givenName'),
      attr('name.familyName', 'surname'),
      attr('emails[type eq "work"].value', 'mail'),
      { target: 'emails[type eq "work"].primary', source: { kind: 'constant', value: true } },
      attr('phoneNumbers[type eq "mobile"].value', 'mobile'),
      attr('department', 'department'),
      attr(`${ENTERPRISE}:manager.value`, 'manager'),
      attr('active', 'active'),
    ]);
    const result = applyMapping(compiled, ENTERPRISE_USER, { operation: 'create' });
    assert.ok(result.ok);
    assert.deepEqual(result.document, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: 'bjensen@enterprise.example.com',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ type: 'work', value: 'bjensen@example.com', primary: true }],
      phoneNumbers: [{ type: 'mobile', value: '555-555-4444' }],
      [ENTERPRISE]: {
        department: 'Tour Operations',
        manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' },
      },
      active: true,
    });
    assert.equal(result.attributes['emails[type eq "work"].value'], 'bjensen@example.com');
    assert.equal(result.attributes[`${ENTERPRISE}:department`], 'Tour Operations');
  });

  it('applies on-create mappings only on create', () => {
    const compiled = compile([
      attr('userName', 'userName'),
      { target: 'title', source: { kind: 'constant', value: 'New hire' }, apply: 'on-create' },
    ]);
    const created = applyMapping(compiled, ENTERPRISE_USER, { operation: 'create' });
    const updated = applyMapping(compiled, ENTERPRISE_USER, { operation: 'update' });
    assert.ok(created.ok && updated.ok);
    assert.equal(created.document.title, 'New hire');
    assert.equal(Object.hasOwn(updated.document, 'title'), false);
    assert.equal(Object.hasOwn(updated.attributes, 'title'), false);
  });

  it('uses the default when the source is null, and keeps null otherwise', () => {
    const compiled = compile([
      attr('userName', 'userName'),
      { target: 'title', source: { kind: 'attribute', path: 'title' }, defaultValue: 'Staff' },
      attr('nickName', 'nickName'),
    ]);
    const result = applyMapping(compiled, { userName: 'u' }, { operation: 'create' });
    assert.ok(result.ok);
    assert.deepEqual(result.document, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'u',
      title: 'Staff',
    });
    assert.deepEqual(result.attributes, { userName: 'u', title: 'Staff', nickName: null });
  });

  it('converts values to the target type, as Entra sends them', () => {
    const compiled = compile([
      attr('userName', 'userName'),
      { target: 'active', source: { kind: 'expression', text: 'IIF([title]="x", "False", "True")' } },
      { target: 'title', source: { kind: 'attribute', path: 'active' } },
    ]);
    const result = applyMapping(
      compiled,
      { userName: 'u', title: 'x', active: true },
      { operation: 'create' },
    );
    assert.ok(result.ok);
    assert.equal(result.document.active, false);
    assert.equal(result.document.title, 'True');
  });

  it('reports a value the target cannot take, located in the expression', () => {
    const compiled = compile([
      attr('userName', 'userName'),
      { target: 'active', source: { kind: 'expression', text: 'ToLower([title])' } },
    ]);
    const result = applyMapping(compiled, { userName: 'u', title: 'maybe' }, { operation: 'create' });
    assert.deepEqual(result, {
      ok: false,
      errors: [{ index: 1, field: 'source', message: 'active expects True or False but found "maybe"' }],
    });
    const evaluation = applyMapping(
      compile([
        attr('userName', 'userName'),
        {
          target: 'title',
          source: { kind: 'expression', text: 'FormatDateTime([title], , "yyyyMMdd", "yyyy")' },
        },
      ]),
      { userName: 'u', title: 'abc' },
      { operation: 'create' },
    );
    assert.equal(evaluation.ok, false);
    assert.equal(!evaluation.ok && evaluation.errors[0]?.position, 15);
  });

  it('refuses an account without a required value', () => {
    const compiled = compile([attr('userName', 'userName')]);
    const result = applyMapping(compiled, { id: 'x' }, { operation: 'create' });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? (result.errors[0]?.message ?? '') : '', /userName is required/);
  });

  it('lower-cases text for RAM', () => {
    const compiled = compile(
      [attr('userName', 'userName'), attr('displayName', 'displayName')],
      TARGET_PROFILES['alibaba-ram'],
    );
    const result = applyMapping(compiled, ENTERPRISE_USER, { operation: 'update' });
    assert.ok(result.ok);
    assert.equal(result.document.displayName, 'babs jensen');
  });

  it('writes multi-valued results as elements', () => {
    const compiled = compile([attr('userName', 'userName'), attr('emails', 'emails.value')]);
    const result = applyMapping(compiled, ENTERPRISE_USER, { operation: 'create' });
    assert.ok(result.ok);
    assert.deepEqual(result.document.emails, [
      { value: 'bjensen@example.com' },
      { value: 'babs@jensen.org' },
    ]);
  });

  for (const name of TARGET_PROFILE_NAMES) {
    it(`${name}: the default mapping is deterministic and never throws on arbitrary users`, () => {
      const profile = TARGET_PROFILES[name];
      const result = compileMapping(defaultMapping(name).user, { profile, resourceType: 'User' });
      assert.ok(result.ok);
      fc.assert(
        fc.property(
          userResourceArbitrary,
          fc.constantFrom('create', 'update') as fc.Arbitrary<'create' | 'update'>,
          (user, operation) => {
            const first = applyMapping(result.compiled, user, { operation });
            const second = applyMapping(result.compiled, structuredClone(user), { operation });
            assert.deepEqual(first, second);
            if (first.ok)
              assert.deepEqual(
                diffMappedAttributes(first.attributes, second.ok ? second.attributes : {}),
                [],
              );
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it('never throws on arbitrary documents, whatever they hold', () => {
    const compiled = compile([
      attr('userName', 'userName'),
      {
        target: 'displayName',
        source: { kind: 'expression', text: 'Join(" ", [givenName], [surname], [emails.value])' },
      },
      { target: 'active', source: { kind: 'attribute', path: 'active' }, defaultValue: true },
      attr('emails[type eq "work"].value', 'mail'),
    ]);
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('userName', 'active', 'name', 'emails', 'displayName', ENTERPRISE),
          fc.anything(),
        ),
        (doc) => {
          const result = applyMapping(compiled, doc, { operation: 'create' });
          assert.equal(typeof result.ok, 'boolean');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('diffMappedAttributes', () => {
  it('lists changed targets old → new, only for targets applied now', () => {
    assert.deepEqual(
      diffMappedAttributes(
        { userName: 'a', title: 'x', nickName: 'n', 'emails[type eq "work"].value': 'e' },
        { userName: 'a', title: 'y', displayName: 'D', 'emails[type eq "work"].value': null },
      ),
      [
        { target: 'title', oldValue: 'x', newValue: 'y' },
        { target: 'displayName', oldValue: null, newValue: 'D' },
        { target: 'emails[type eq "work"].value', oldValue: 'e', newValue: null },
      ],
    );
  });

  it('compares lists element by element, and treats a first push as from null', () => {
    assert.deepEqual(diffMappedAttributes({ emails: ['a', 'b'] }, { emails: ['a', 'b'] }), []);
    assert.equal(diffMappedAttributes({ emails: ['a', 'b'] }, { emails: ['b', 'a'] }).length, 1);
    assert.deepEqual(diffMappedAttributes(undefined, { userName: 'u', nickName: null }), [
      { target: 'userName', oldValue: null, newValue: 'u' },
    ]);
  });
});
