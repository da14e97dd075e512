import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineAttribute, defineComplex, defineDisplay, definePrimary } from './define-attribute.ts';

describe('defineAttribute', () => {
  it('fills every omitted characteristic with its RFC 7643 §2.2 default', () => {
    assert.deepEqual(defineAttribute('title', 'string', 'Title.'), {
      name: 'title',
      type: 'string',
      multiValued: false,
      description: 'Title.',
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    });
  });

  it('keeps stated characteristics and copies lists', () => {
    const values = ['a'];
    const a = defineAttribute('x', 'reference', 'X.', {
      required: true,
      caseExact: true,
      mutability: 'immutable',
      returned: 'request',
      uniqueness: 'global',
      canonicalValues: values,
      referenceTypes: ['external'],
    });
    values.push('b');
    assert.deepEqual(a.canonicalValues, ['a']);
    assert.deepEqual(a.referenceTypes, ['external']);
    assert.equal(a.returned, 'request');
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.canonicalValues));
  });
});

describe('defineComplex', () => {
  it('makes a complex attribute with frozen sub-attributes', () => {
    const c = defineComplex('c', 'C.', [defineDisplay(), definePrimary()], { multiValued: true });
    assert.equal(c.type, 'complex');
    assert.equal(c.multiValued, true);
    assert.deepEqual(
      c.subAttributes?.map((s) => s.name),
      ['display', 'primary'],
    );
    assert.ok(Object.isFrozen(c.subAttributes));
  });

  it('refuses complex sub-attributes (RFC 7643 §2.3.8)', () => {
    assert.throws(
      () => defineComplex('outer', 'O.', [defineComplex('inner', 'I.', [])]),
      /complex sub-attributes/,
    );
  });
});

describe('definePrimary', () => {
  it('completes the RFC sentence with an example when given one', () => {
    assert.match(
      definePrimary('the preferred photo').description,
      /attribute, e\.g\., the preferred photo\./,
    );
    assert.match(
      definePrimary().description,
      /^A Boolean value indicating the 'primary' or preferred attribute value for this attribute\. /,
    );
  });
});
