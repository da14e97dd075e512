import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeDefinition } from './attribute-definition.ts';
import { USER_SCHEMA } from './schema-urns.ts';
import { USER_SCHEMA_DEFINITION } from './user-schema.ts';

/** `type multiplicity required case mutability returned uniqueness` for each attribute path. */
function signatures(attributes: readonly AttributeDefinition[], prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of attributes) {
    const path = `${prefix}${a.name}`;
    out.set(
      path,
      [
        a.type,
        a.multiValued ? 'multi' : 'single',
        a.required ? 'required' : 'optional',
        a.caseExact ? 'exact' : 'ci',
        a.mutability,
        a.returned,
        a.uniqueness,
      ].join(' '),
    );
    for (const [p, s] of signatures(a.subAttributes ?? [], `${path}.`)) out.set(p, s);
  }
  return out;
}

const STRING = 'string single optional ci readWrite default none';
const BOOLEAN = 'boolean single optional ci readWrite default none';
const MULTI_COMPLEX = 'complex multi optional ci readWrite default none';

/** The value/display/type/primary pattern, all strings but primary. */
function multiValued(...names: string[]): (readonly [string, string])[] {
  return names.flatMap((name) => [
    [name, MULTI_COMPLEX] as const,
    [`${name}.value`, STRING] as const,
    [`${name}.display`, STRING] as const,
    [`${name}.type`, STRING] as const,
    [`${name}.primary`, BOOLEAN] as const,
  ]);
}

/** RFC 7643 §8.7.1, transcribed independently of the schema file; deviations marked. */
const EXPECTED = new Map<string, string>([
  ['userName', 'string single required ci readWrite default server'],
  ['name', 'complex single optional ci readWrite default none'],
  ...['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map(
    (sub) => [`name.${sub}`, STRING] as const,
  ),
  ['displayName', STRING],
  ['nickName', STRING],
  ['profileUrl', 'reference single optional ci readWrite default none'],
  ['title', STRING],
  ['userType', STRING],
  ['preferredLanguage', STRING],
  ['locale', STRING],
  ['timezone', STRING],
  ['active', BOOLEAN],
  ['password', 'string single optional ci writeOnly never none'],
  ...multiValued('emails', 'phoneNumbers', 'ims'),
  ['photos', MULTI_COMPLEX],
  ['photos.value', 'reference single optional ci readWrite default none'],
  ['photos.display', STRING],
  ['photos.type', STRING],
  ['photos.primary', BOOLEAN],
  ['addresses', MULTI_COMPLEX],
  ...['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type'].map(
    (sub) => [`addresses.${sub}`, STRING] as const,
  ),
  ['addresses.primary', BOOLEAN], // deviation: not in §8.7.1
  ['groups', 'complex multi optional ci readOnly default none'],
  ['groups.value', 'string single optional ci readOnly default none'],
  ['groups.$ref', 'reference single optional ci readOnly default none'],
  ['groups.display', 'string single optional ci readOnly default none'],
  ['groups.type', 'string single optional ci readOnly default none'],
  ...multiValued('entitlements', 'roles'),
  ['x509Certificates', MULTI_COMPLEX],
  ['x509Certificates.value', 'binary single optional exact readWrite default none'], // deviation: §2.3.6
  ['x509Certificates.display', STRING],
  ['x509Certificates.type', STRING],
  ['x509Certificates.primary', BOOLEAN],
]);

function find(path: string): AttributeDefinition {
  const [name, sub] = path.split('.');
  const top = USER_SCHEMA_DEFINITION.attributes.find((a) => a.name === name);
  const found = sub === undefined ? top : top?.subAttributes?.find((a) => a.name === sub);
  assert.ok(found, path);
  return found;
}

describe('USER_SCHEMA_DEFINITION', () => {
  it('identifies itself as RFC 7643 §8.7.1 does', () => {
    assert.equal(USER_SCHEMA_DEFINITION.id, USER_SCHEMA);
    assert.equal(USER_SCHEMA_DEFINITION.name, 'User');
    assert.equal(USER_SCHEMA_DEFINITION.description, 'User Account');
  });

  it('has exactly the attributes of RFC 7643 §8.7.1, in its order, with its characteristics', () => {
    assert.deepEqual([...signatures(USER_SCHEMA_DEFINITION.attributes)], [...EXPECTED]);
  });

  it('has the canonical values of RFC 7643 §8.7.1', () => {
    assert.deepEqual(find('emails.type').canonicalValues, ['work', 'home', 'other']);
    assert.deepEqual(find('phoneNumbers.type').canonicalValues, [
      'work',
      'home',
      'mobile',
      'fax',
      'pager',
      'other',
    ]);
    assert.deepEqual(find('ims.type').canonicalValues, [
      'aim',
      'gtalk',
      'icq',
      'xmpp',
      'msn',
      'skype',
      'qq',
      'yahoo',
    ]);
    assert.deepEqual(find('photos.type').canonicalValues, ['photo', 'thumbnail']);
    assert.deepEqual(find('addresses.type').canonicalValues, ['work', 'home', 'other']);
    assert.deepEqual(find('roles.type').canonicalValues, []);
    assert.deepEqual(find('x509Certificates.type').canonicalValues, []);
    assert.equal(find('entitlements.type').canonicalValues, undefined);
  });

  it('lists only direct group memberships', () => {
    assert.deepEqual(find('groups.type').canonicalValues, ['direct']);
  });

  it('has the reference types of RFC 7643 §8.7.1', () => {
    assert.deepEqual(find('profileUrl').referenceTypes, ['external']);
    assert.deepEqual(find('photos.value').referenceTypes, ['external']);
    assert.deepEqual(find('groups.$ref').referenceTypes, ['User', 'Group']);
  });

  it('never returns the password', () => {
    const password = find('password');
    assert.equal(password.mutability, 'writeOnly');
    assert.equal(password.returned, 'never');
  });

  it('is frozen, down to sub-attributes', () => {
    assert.ok(Object.isFrozen(USER_SCHEMA_DEFINITION));
    assert.ok(Object.isFrozen(USER_SCHEMA_DEFINITION.attributes));
    assert.ok(Object.isFrozen(find('emails').subAttributes));
    assert.ok(Object.isFrozen(find('emails.type')));
    assert.ok(Object.isFrozen(find('emails.type').canonicalValues));
  });
});
