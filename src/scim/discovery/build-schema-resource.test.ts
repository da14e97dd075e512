import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import { findSchema, listSchemas } from '../schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA, SCHEMA_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';
import { buildSchemaResource } from './build-schema-resource.ts';

const BASE = 'https://scim.example.com/scim/v2';
const KEY_ORDER = [
  'name',
  'type',
  'multiValued',
  'description',
  'required',
  'caseExact',
  'canonicalValues',
  'mutability',
  'returned',
  'uniqueness',
  'referenceTypes',
  'subAttributes',
];

function* walk(attributes: readonly AttributeDefinition[]): Generator<AttributeDefinition> {
  for (const a of attributes) {
    yield a;
    yield* walk(a.subAttributes ?? []);
  }
}

describe('buildSchemaResource', () => {
  it('wraps the schema with schemas, id and meta (RFC 7643 §7)', () => {
    const user = findSchema(USER_SCHEMA);
    assert.ok(user);
    const resource = buildSchemaResource(user, BASE);
    assert.deepEqual(resource.schemas, [SCHEMA_SCHEMA]);
    assert.equal(resource.id, USER_SCHEMA);
    assert.equal(resource.name, 'User');
    assert.equal(resource.description, 'User Account');
    assert.deepEqual(resource.meta, { resourceType: 'Schema', location: `${BASE}/Schemas/${USER_SCHEMA}` });
  });

  it('lists the schema’s own attributes, not the common ones', () => {
    const user = findSchema(USER_SCHEMA);
    assert.ok(user);
    const names = buildSchemaResource(user, BASE).attributes.map((a) => a.name);
    assert.equal(names[0], 'userName');
    for (const common of ['id', 'externalId', 'meta']) assert.equal(names.includes(common), false, common);
    assert.equal(names.length, user.attributes.length);
  });

  it('gives every attribute every characteristic, in the RFC’s order, and optional lists only where defined', () => {
    for (const schema of listSchemas()) {
      const json = JSON.parse(JSON.stringify(buildSchemaResource(schema, BASE))) as {
        attributes: AttributeDefinition[];
      };
      assert.deepEqual(json.attributes, schema.attributes, schema.id);
      for (const a of walk(json.attributes)) {
        const keys = Object.keys(a);
        assert.deepEqual(
          keys,
          KEY_ORDER.filter((k) => keys.includes(k)),
          a.name,
        );
        for (const k of KEY_ORDER.slice(0, 6).concat('mutability', 'returned', 'uniqueness')) {
          assert.ok(keys.includes(k), `${a.name}.${k}`);
        }
        assert.equal('subAttributes' in a, a.type === 'complex', a.name);
      }
    }
  });

  it('keeps canonical values and reference types where the schema defines them', () => {
    const enterprise = findSchema(ENTERPRISE_USER_SCHEMA);
    assert.ok(enterprise);
    const manager = buildSchemaResource(enterprise, BASE).attributes.find((a) => a.name === 'manager');
    const ref = manager?.subAttributes?.find((s) => s.name === '$ref');
    assert.deepEqual(ref?.referenceTypes, ['User']);
    assert.equal('canonicalValues' in (ref ?? {}), false);
    assert.equal(
      buildSchemaResource(enterprise, BASE).meta.location,
      `${BASE}/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`,
    );
  });
});
