import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AttributeDefinition } from './attribute-definition.ts';
import { COMMON_ATTRIBUTES } from './common-attributes.ts';
import {
  findSchema,
  findSubAttribute,
  getResourceType,
  isExtensionOf,
  listResourceTypes,
  listSchemas,
  resolveAttribute,
  topLevelAttributes,
} from './schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './schema-urns.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');
const CHARACTERISTICS = [
  'name',
  'type',
  'multiValued',
  'description',
  'required',
  'caseExact',
  'mutability',
  'returned',
  'uniqueness',
] as const;

function* walk(attributes: readonly AttributeDefinition[]): Generator<AttributeDefinition> {
  for (const a of attributes) {
    yield a;
    yield* walk(a.subAttributes ?? []);
  }
}

/** Each top-level attribute and sub-attribute of a resource type, as `[schemaUrn, name, sub?]`. */
function allPaths(rt: typeof USER): [string, string, string | undefined][] {
  const urns = [rt.schema, ...rt.schemaExtensions.map((e) => e.schema)];
  return urns.flatMap((urn) =>
    topLevelAttributes(rt, urn).flatMap((a) => [
      [urn, a.name, undefined] as [string, string, undefined],
      ...(a.subAttributes ?? []).map((s) => [urn, a.name, s.name] as [string, string, string]),
    ]),
  );
}

describe('schema definitions', () => {
  it('give every attribute and sub-attribute of every schema every characteristic', () => {
    for (const a of walk([...listSchemas().flatMap((s) => s.attributes), ...COMMON_ATTRIBUTES])) {
      for (const key of CHARACTERISTICS) assert.notEqual(a[key], undefined, `${a.name}.${key}`);
      assert.equal(a.subAttributes !== undefined, a.type === 'complex', a.name);
      if (a.referenceTypes !== undefined) assert.equal(a.type, 'reference', a.name);
      if (a.type === 'reference') assert.ok(a.referenceTypes, a.name);
    }
  });

  it('spot-check against RFC 7643 §8.7.1', () => {
    const userName = resolveAttribute(USER, { name: 'userName' })?.definition;
    assert.deepEqual(
      [userName?.required, userName?.caseExact, userName?.uniqueness],
      [true, false, 'server'],
    );
    const email = resolveAttribute(USER, { name: 'emails', sub: 'value' })?.subDefinition;
    assert.deepEqual([email?.type, email?.caseExact, email?.mutability], ['string', false, 'readWrite']);
    assert.equal(resolveAttribute(USER, { name: 'groups' })?.definition.mutability, 'readOnly');
    const managerName = resolveAttribute(USER, {
      uri: ENTERPRISE_USER_SCHEMA,
      name: 'manager',
      sub: 'displayName',
    });
    assert.equal(managerName?.subDefinition?.mutability, 'readOnly');
  });
});

describe('resource types and schemas', () => {
  it('offer User and Group', () => {
    assert.deepEqual(
      listResourceTypes().map((rt) => [rt.id, rt.endpoint, rt.schema]),
      [
        ['User', '/Users', USER_SCHEMA],
        ['Group', '/Groups', GROUP_SCHEMA],
      ],
    );
    assert.deepEqual(USER.schemaExtensions, [{ schema: ENTERPRISE_USER_SCHEMA, required: false }]);
    assert.deepEqual(GROUP.schemaExtensions, []);
  });

  it('list the three schemas and find them case-insensitively', () => {
    assert.deepEqual(
      listSchemas().map((s) => s.id),
      [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA],
    );
    assert.equal(findSchema(ENTERPRISE_USER_SCHEMA.toUpperCase())?.id, ENTERPRISE_USER_SCHEMA);
    assert.equal(findSchema('urn:ietf:params:scim:schemas:core:2.0:user')?.name, 'User');
    assert.equal(findSchema('urn:ietf:params:scim:schemas:core:2.0:Device'), undefined);
  });

  it('put the common attributes before the core attributes, and only there', () => {
    assert.deepEqual(
      topLevelAttributes(USER, USER_SCHEMA)
        .slice(0, 4)
        .map((a) => a.name),
      ['id', 'externalId', 'meta', 'userName'],
    );
    assert.deepEqual(
      topLevelAttributes(GROUP, 'URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP').map((a) => a.name),
      ['id', 'externalId', 'meta', 'displayName', 'members'],
    );
    assert.equal(topLevelAttributes(USER, ENTERPRISE_USER_SCHEMA).length, 6);
    assert.deepEqual(topLevelAttributes(GROUP, ENTERPRISE_USER_SCHEMA), []);
    assert.deepEqual(topLevelAttributes(USER, GROUP_SCHEMA), []);
  });

  it('know which URNs extend a resource type', () => {
    assert.equal(isExtensionOf(USER, ENTERPRISE_USER_SCHEMA.toLowerCase()), ENTERPRISE_USER_SCHEMA);
    assert.equal(isExtensionOf(USER, USER_SCHEMA), undefined);
    assert.equal(isExtensionOf(GROUP, ENTERPRISE_USER_SCHEMA), undefined);
  });
});

describe('resolveAttribute', () => {
  it('resolves unqualified names in the core schema and the common attributes', () => {
    assert.deepEqual(resolveAttribute(USER, { name: 'userName' })?.path, {
      uri: USER_SCHEMA,
      name: 'userName',
    });
    assert.deepEqual(resolveAttribute(USER, { name: 'ID' })?.path, { uri: USER_SCHEMA, name: 'id' });
    assert.deepEqual(resolveAttribute(GROUP, { name: 'meta', sub: 'LASTMODIFIED' })?.path, {
      uri: GROUP_SCHEMA,
      name: 'meta',
      sub: 'lastModified',
    });
    assert.equal(resolveAttribute(USER, { name: 'meta' })?.schema, USER_SCHEMA);
  });

  it('spells names as the schema does, whatever the case written', () => {
    const resolved = resolveAttribute(USER, { name: 'EMAILS', sub: 'Value' });
    assert.deepEqual(resolved?.path, { uri: USER_SCHEMA, name: 'emails', sub: 'value' });
    assert.equal(resolved?.definition.name, 'emails');
    assert.equal(resolved?.subDefinition?.name, 'value');
    assert.equal(resolveAttribute(GROUP, { name: 'members', sub: '$REF' })?.path.sub, '$ref');
  });

  it('resolves URN-qualified names against the core schema or an extension', () => {
    assert.deepEqual(resolveAttribute(USER, { uri: USER_SCHEMA, name: 'userName' })?.path, {
      uri: USER_SCHEMA,
      name: 'userName',
    });
    const manager = resolveAttribute(USER, {
      uri: 'urn:ietf:params:scim:schemas:extension:ENTERPRISE:2.0:user',
      name: 'manager',
      sub: 'value',
    });
    assert.equal(manager?.schema, ENTERPRISE_USER_SCHEMA);
    assert.deepEqual(manager?.path, { uri: ENTERPRISE_USER_SCHEMA, name: 'manager', sub: 'value' });
    assert.equal(
      resolveAttribute(USER, { uri: USER_SCHEMA, name: 'externalId' })?.definition.name,
      'externalId',
    );
  });

  it('accepts the URN prefix still inside the name, but not a dotted sub-attribute', () => {
    assert.deepEqual(
      resolveAttribute(USER, { name: `${ENTERPRISE_USER_SCHEMA}:manager`, sub: 'VALUE' })?.path,
      {
        uri: ENTERPRISE_USER_SCHEMA,
        name: 'manager',
        sub: 'value',
      },
    );
    assert.deepEqual(
      resolveAttribute(USER, { name: 'URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:USERNAME' })?.path,
      {
        uri: USER_SCHEMA,
        name: 'userName',
      },
    );
    assert.equal(resolveAttribute(USER, { name: ENTERPRISE_USER_SCHEMA }), undefined);
    assert.equal(resolveAttribute(USER, { name: 'name.givenName' }), undefined);
    assert.equal(resolveAttribute(USER, { name: `${ENTERPRISE_USER_SCHEMA}:manager.value` }), undefined);
  });

  it('refuses extension attributes without their URN', () => {
    assert.equal(resolveAttribute(USER, { name: 'employeeNumber' }), undefined);
    assert.equal(resolveAttribute(USER, { name: 'manager', sub: 'value' }), undefined);
  });

  it('refuses URN prefixes that are not the resource type’s', () => {
    assert.equal(resolveAttribute(USER, { uri: GROUP_SCHEMA, name: 'displayName' }), undefined);
    assert.equal(resolveAttribute(GROUP, { uri: USER_SCHEMA, name: 'userName' }), undefined);
    assert.equal(resolveAttribute(GROUP, { uri: ENTERPRISE_USER_SCHEMA, name: 'employeeNumber' }), undefined);
    assert.equal(resolveAttribute(USER, { uri: 'urn:example:unknown', name: 'userName' }), undefined);
    assert.equal(resolveAttribute(USER, { uri: ENTERPRISE_USER_SCHEMA, name: 'userName' }), undefined);
    assert.equal(resolveAttribute(USER, { uri: ENTERPRISE_USER_SCHEMA, name: 'id' }), undefined);
  });

  it('refuses unknown names and sub-attributes, and sub-attributes of simple attributes', () => {
    assert.equal(resolveAttribute(USER, { name: 'nope' }), undefined);
    assert.equal(resolveAttribute(USER, { name: '' }), undefined);
    assert.equal(resolveAttribute(USER, { name: 'name', sub: 'nope' }), undefined);
    assert.equal(resolveAttribute(USER, { name: 'userName', sub: 'value' }), undefined);
    assert.equal(resolveAttribute(GROUP, { name: 'userName' }), undefined);
    assert.equal(resolveAttribute(USER, { name: 'members' }), undefined);
  });

  it('returns the same frozen object on every call', () => {
    const first = resolveAttribute(USER, { name: 'emails', sub: 'type' });
    assert.equal(resolveAttribute(USER, { name: 'Emails', sub: 'TYPE' }), first);
    assert.ok(first && Object.isFrozen(first) && Object.isFrozen(first.path));
  });

  it('resolves every known path in every case variant to the canonical one', () => {
    for (const rt of [USER, GROUP]) {
      const paths = allPaths(rt);
      fc.assert(
        fc.property(
          fc.constantFrom(...paths),
          fc.boolean(),
          fc.func(fc.boolean()),
          ([uri, name, sub], qualify, upper) => {
            const vary = (text: string): string =>
              [...text].map((ch, i) => (upper(i, ch) ? ch.toUpperCase() : ch.toLowerCase())).join('');
            const written = {
              ...(qualify ? { uri: vary(uri) } : {}),
              name: vary(name),
              ...(sub === undefined ? {} : { sub: vary(sub) }),
            };
            const resolved = resolveAttribute(rt, written);
            if (!qualify && uri !== rt.schema) return resolved === undefined;
            return (
              resolved !== undefined &&
              resolved.schema === uri &&
              resolved.path.uri === uri &&
              resolved.path.name === name &&
              resolved.path.sub === sub
            );
          },
        ),
      );
    }
  });

  it('never throws on arbitrary paths', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.string(), fc.option(fc.string()), (uri, name, sub) => {
        resolveAttribute(USER, { ...(uri === null ? {} : { uri }), name, ...(sub === null ? {} : { sub }) });
      }),
    );
  });
});

describe('findSubAttribute', () => {
  it('finds sub-attributes case-insensitively', () => {
    const name = resolveAttribute(USER, { name: 'name' })?.definition;
    assert.ok(name);
    assert.equal(findSubAttribute(name, 'GIVENNAME')?.name, 'givenName');
    assert.equal(findSubAttribute(name, 'nope'), undefined);
  });

  it('finds nothing under a simple attribute', () => {
    const userName = resolveAttribute(USER, { name: 'userName' })?.definition;
    assert.ok(userName);
    assert.equal(findSubAttribute(userName, 'value'), undefined);
  });
});
