import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TARGET_PROFILES } from '../../targets/profiles/target-profiles.ts';
import type { AttributeMappingInput } from './attribute-mapping.ts';
import { compileMapping, type MappingError } from './compile-mapping.ts';

const SCIM = TARGET_PROFILES['generic-scim'];
const RAM = TARGET_PROFILES['alibaba-ram'];
const AWS = TARGET_PROFILES['aws-identity-center'];

const attr = (target: string, path: string): AttributeMappingInput => ({
  target,
  source: { kind: 'attribute', path },
});
const expr = (target: string, text: string): AttributeMappingInput => ({
  target,
  source: { kind: 'expression', text },
});
const USER_NAME = attr('userName', 'userName');

function errorsOf(
  list: AttributeMappingInput[],
  profile = SCIM,
  resourceType: 'User' | 'Group' = 'User',
): readonly MappingError[] {
  const result = compileMapping(list, { profile, resourceType });
  assert.equal(result.ok, false, 'expected the mapping to be refused');
  return result.ok ? [] : result.errors;
}

describe('compileMapping', () => {
  it('compiles direct, constant and expression sources and canonicalises targets', () => {
    const result = compileMapping(
      [
        USER_NAME,
        { target: 'NAME.givenName', source: { kind: 'attribute', path: 'givenName' }, apply: 'on-create' },
        { target: 'title', source: { kind: 'constant', value: 'Staff' } },
        expr('displayName', 'Coalesce([displayName], [userName])'),
        attr('emails[type eq "work"].value', 'mail'),
        attr('department', 'department'),
      ],
      { profile: SCIM, resourceType: 'User' },
    );
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepEqual(
      result.compiled.mappings.map((m) => m.target.canonical),
      [
        'userName',
        'name.givenName',
        'title',
        'displayName',
        'emails[type eq "work"].value',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
      ],
    );
    assert.equal(result.compiled.mappings[1]?.apply, 'on-create');
    assert.equal(result.compiled.mappings[0]?.apply, 'always');
    assert.deepEqual(result.compiled.mappings[4]?.element, { type: 'work' });
  });

  it('reports a syntax error with its position', () => {
    const [error] = errorsOf([USER_NAME, expr('displayName', 'Coalesce([displayName], ')]);
    assert.equal(error?.index, 1);
    assert.equal(error?.field, 'source');
    assert.equal(error?.position, 24);
  });

  it('reports type errors with their position', () => {
    const errors = errorsOf([
      USER_NAME,
      expr('displayName', 'Left([displayName], "x")'),
      expr('title', 'ToUpper([nope])'),
    ]);
    assert.deepEqual(
      errors.map((e) => [e.index, e.position, e.length]),
      [
        [1, 20, 3],
        [2, 8, 6],
      ],
    );
  });

  it('refuses attributes RAM does not store, and active', () => {
    const errors = errorsOf(
      [USER_NAME, attr('emails[type eq "work"].value', 'mail'), attr('active', 'active')],
      RAM,
    );
    assert.deepEqual(
      errors.map((e) => [e.index, e.field]),
      [
        [1, 'target'],
        [2, 'target'],
      ],
    );
    assert.match(errors[0]?.message ?? '', /stores only userName, displayName, externalId/);
    assert.match(errors[1]?.message ?? '', /no active state/);
  });

  it('refuses a duplicated target, however it is spelt', () => {
    const errors = errorsOf([
      USER_NAME,
      attr('name.givenName', 'givenName'),
      attr('NAME.GIVENNAME', 'surname'),
    ]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.index, 2);
    assert.match(errors[0]?.message ?? '', /already mapped by mapping 2/);
  });

  it('refuses a multi-valued result in a single-valued attribute', () => {
    const [error] = errorsOf([USER_NAME, attr('displayName', 'emails.value')]);
    assert.match(error?.message ?? '', /multi-valued result cannot go into a single-valued/);
    const [split] = errorsOf([USER_NAME, expr('title', 'Split([displayName], " ")')]);
    assert.equal(split?.index, 1);
  });

  it('accepts a multi-valued result for a whole multi-valued attribute', () => {
    const result = compileMapping([USER_NAME, attr('emails', 'emails.value')], {
      profile: SCIM,
      resourceType: 'User',
    });
    assert.ok(result.ok);
  });

  it('refuses values that cannot fit the target type', () => {
    const errors = errorsOf([
      USER_NAME,
      { target: 'active', source: { kind: 'constant', value: 3 } },
      { target: 'title', source: { kind: 'constant', value: 'x' } },
      { target: 'nickName', source: { kind: 'attribute', path: 'nickName' }, defaultValue: true },
      { target: 'active', source: { kind: 'attribute', path: 'meta.created' } },
    ]);
    const byIndex = errors.map((e) => [e.index, e.field]);
    assert.deepEqual(byIndex, [
      [1, 'source'],
      [4, 'source'],
    ]);
  });

  it('refuses read-only, write-only, unknown and unwritable targets', () => {
    const errors = errorsOf([
      USER_NAME,
      attr('id', 'id'),
      attr('meta.created', 'meta.created'),
      attr('password', 'userName'),
      attr('nope', 'userName'),
      attr('name', 'userName'),
      attr('emails[type eq "work"]', 'mail'),
      attr('emails[type ne "work"].value', 'mail'),
      attr('groups.value', 'id'),
    ]);
    assert.deepEqual(
      errors.map((e) => e.index),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
  });

  it('requires the required targets', () => {
    const [error] = errorsOf([attr('displayName', 'displayName')]);
    assert.equal(error?.index, -1);
    assert.match(error?.message ?? '', /needs a mapping for userName/);
    const aws = errorsOf([USER_NAME, attr('displayName', 'displayName')], AWS);
    assert.deepEqual(
      aws.map((e) => e.message),
      [
        'AWS IAM Identity Center needs a mapping for name.givenName',
        'AWS IAM Identity Center needs a mapping for name.familyName',
      ],
    );
  });

  it('keeps AWS to one e-mail', () => {
    const errors = errorsOf(
      [
        USER_NAME,
        attr('displayName', 'displayName'),
        attr('name.givenName', 'givenName'),
        attr('name.familyName', 'surname'),
        attr('emails[type eq "work"].value', 'mail'),
        attr('emails[type eq "home"].value', 'emails[type eq "home"].value'),
      ],
      AWS,
    );
    assert.deepEqual(
      errors.map((e) => e.index),
      [5],
    );
  });

  it('writes only displayName and externalId of groups; members come from links', () => {
    const errors = errorsOf(
      [attr('displayName', 'displayName'), attr('members', 'members.value'), attr('externalId', 'id')].concat(
        [attr('meta.version', 'id')],
      ),
      SCIM,
      'Group',
    );
    assert.deepEqual(
      errors.map((e) => e.index),
      [1, 3],
    );
    assert.match(errors[0]?.message ?? '', /links/);
    assert.ok(compileMapping([], { profile: RAM, resourceType: 'Group' }).ok);
    assert.equal(
      compileMapping([attr('displayName', 'displayName')], { profile: RAM, resourceType: 'Group' }).ok,
      false,
    );
  });

  it('reports invalid shapes per entry', () => {
    const errors = errorsOf([
      USER_NAME,
      { target: '', source: { kind: 'attribute', path: 'x' } } as AttributeMappingInput,
    ]);
    assert.deepEqual(
      errors.map((e) => [e.index, e.field]),
      [[1, 'target']],
    );
  });
});
