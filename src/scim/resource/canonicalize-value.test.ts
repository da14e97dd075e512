import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError } from '../errors.ts';
import type { AttributeDefinition, AttributeType } from '../schema/attribute-definition.ts';
import { canonicalizeValue } from './canonicalize-value.ts';

function attribute(type: AttributeType, extra: Partial<AttributeDefinition> = {}): AttributeDefinition {
  return {
    name: 'a',
    type,
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...extra,
  };
}

function assertInvalidValue(definition: AttributeDefinition, value: unknown, detail: RegExp): void {
  assert.throws(
    () => canonicalizeValue(definition, value, 'a'),
    (error: unknown) =>
      error instanceof ScimError && error.scimType === 'invalidValue' && detail.test(error.message),
  );
}

describe('canonicalizeValue', () => {
  it('stores dateTime values canonically (UTC, milliseconds) and refuses other strings', () => {
    const dateTime = attribute('dateTime');
    assert.equal(canonicalizeValue(dateTime, '2010-01-23T04:56:22Z', 'a'), '2010-01-23T04:56:22.000Z');
    assert.equal(
      canonicalizeValue(dateTime, '2011-05-13T06:42:34.1234+02:00', 'a'),
      '2011-05-13T04:42:34.123Z',
    );
    assertInvalidValue(dateTime, '2010-13-01T00:00:00Z', /expected an xsd:dateTime string, got a string/);
    assertInvalidValue(dateTime, 'yesterday', /xsd:dateTime/);
    assertInvalidValue(dateTime, 1264222582000, /xsd:dateTime string, got an integer/);
  });

  it('checks integers and decimals', () => {
    assert.equal(canonicalizeValue(attribute('integer'), 42, 'a'), 42);
    assertInvalidValue(attribute('integer'), 4.2, /expected an integer, got a number/);
    assertInvalidValue(attribute('integer'), '42', /expected an integer, got a string/);
    assert.equal(canonicalizeValue(attribute('decimal'), 4.2, 'a'), 4.2);
    assertInvalidValue(attribute('decimal'), '4.2', /expected a number, got a string/);
  });

  it('accepts padded standard base64 for binary values', () => {
    const binary = attribute('binary');
    assert.equal(canonicalizeValue(binary, 'TWFu', 'a'), 'TWFu');
    assert.equal(canonicalizeValue(binary, 'TWE=', 'a'), 'TWE=');
    assertInvalidValue(binary, 'TWE', /base64/);
    assertInvalidValue(binary, 'TW E=', /base64/);
  });

  it('treats null, empty strings and empty arrays as unassigned', () => {
    assert.equal(canonicalizeValue(attribute('string'), null, 'a'), undefined);
    assert.equal(canonicalizeValue(attribute('integer'), '', 'a'), undefined);
    assert.equal(canonicalizeValue(attribute('string', { multiValued: true }), ['', null], 'a'), undefined);
  });

  it('validates every element of a multi-valued simple attribute', () => {
    const tags = attribute('string', { multiValued: true });
    assert.deepEqual(canonicalizeValue(tags, ['x', '', 'y'], 'a'), ['x', 'y']);
    assertInvalidValue(tags, ['x', 3], /"a\[1\]": expected a string, got an integer/);
  });

  it('enforces required sub-attributes of a complex value that has data', () => {
    const complex = attribute('complex', {
      subAttributes: [
        attribute('string', { name: 'value', required: true }),
        attribute('string', { name: 'note' }),
      ],
    });
    assert.deepEqual(canonicalizeValue(complex, { value: 'v' }, 'a'), { value: 'v' });
    assert.equal(canonicalizeValue(complex, { note: '' }, 'a'), undefined);
    assertInvalidValue(complex, { note: 'n' }, /Sub-attribute "a\.value" is required/);
  });
});
