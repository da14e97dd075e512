import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COMMON_ATTRIBUTES,
  EXTERNAL_ID_ATTRIBUTE,
  ID_ATTRIBUTE,
  META_ATTRIBUTE,
} from './common-attributes.ts';

describe('COMMON_ATTRIBUTES', () => {
  it('are id, externalId and meta', () => {
    assert.deepEqual(
      COMMON_ATTRIBUTES.map((a) => a.name),
      ['id', 'externalId', 'meta'],
    );
  });

  it('make id case-exact, read-only, always returned and unique on the server (RFC 7643 §3.1)', () => {
    assert.equal(ID_ATTRIBUTE.type, 'string');
    assert.equal(ID_ATTRIBUTE.caseExact, true);
    assert.equal(ID_ATTRIBUTE.mutability, 'readOnly');
    assert.equal(ID_ATTRIBUTE.returned, 'always');
    assert.equal(ID_ATTRIBUTE.uniqueness, 'server');
  });

  it('make externalId case-exact and client-writable', () => {
    assert.equal(EXTERNAL_ID_ATTRIBUTE.caseExact, true);
    assert.equal(EXTERNAL_ID_ATTRIBUTE.mutability, 'readWrite');
    assert.equal(EXTERNAL_ID_ATTRIBUTE.uniqueness, 'none');
  });

  it('make meta read-only throughout', () => {
    assert.equal(META_ATTRIBUTE.type, 'complex');
    assert.equal(META_ATTRIBUTE.mutability, 'readOnly');
    const subs = Object.fromEntries((META_ATTRIBUTE.subAttributes ?? []).map((s) => [s.name, s]));
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(subs).map(([name, s]) => [name, [s.type, s.caseExact, s.mutability]]),
      ),
      {
        resourceType: ['string', true, 'readOnly'],
        created: ['dateTime', false, 'readOnly'],
        lastModified: ['dateTime', false, 'readOnly'],
        location: ['reference', false, 'readOnly'],
        version: ['string', true, 'readOnly'],
      },
    );
    assert.deepEqual(subs.location?.referenceTypes, ['uri']);
  });
});
