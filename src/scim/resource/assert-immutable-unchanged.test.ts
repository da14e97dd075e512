import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError } from '../errors.ts';
import type { AttributeDefinition, AttributeType } from '../schema/attribute-definition.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';
import {
  assertImmutableAttributesUnchanged,
  assertImmutableUnchanged,
} from './assert-immutable-unchanged.ts';

function attribute(
  name: string,
  type: AttributeType,
  extra: Partial<AttributeDefinition> = {},
): AttributeDefinition {
  return {
    name,
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

const DEFINITIONS = [
  attribute('badge', 'string', { mutability: 'immutable', caseExact: true }),
  attribute('nickname', 'string', { mutability: 'immutable' }),
  attribute('card', 'complex', {
    subAttributes: [attribute('number', 'string', { mutability: 'immutable' }), attribute('label', 'string')],
  }),
  attribute('title', 'string'),
];

const isMutabilityError = (name: string) => (error: unknown) =>
  error instanceof ScimError &&
  error.scimType === 'mutability' &&
  error.message.includes(`"${name}" is immutable`);

describe('assertImmutableAttributesUnchanged', () => {
  const before = { badge: 'B-1', nickname: 'Babs', card: { number: '42', label: 'x' }, title: 'Guide' };

  it('lets immutable values be set when they had none, and be sent again unchanged', () => {
    assertImmutableAttributesUnchanged(DEFINITIONS, {}, before, '');
    assertImmutableAttributesUnchanged(
      DEFINITIONS,
      before,
      { ...before, title: 'Chief', card: { number: '42' } },
      '',
    );
  });

  it('compares caseExact=false values regardless of letter case', () => {
    assertImmutableAttributesUnchanged(DEFINITIONS, before, { ...before, nickname: 'BABS' }, '');
    assert.throws(
      () => assertImmutableAttributesUnchanged(DEFINITIONS, before, { ...before, badge: 'b-1' }, ''),
      isMutabilityError('badge'),
    );
  });

  it('refuses a changed or removed immutable value (RFC 7644 §3.5.1)', () => {
    assert.throws(
      () => assertImmutableAttributesUnchanged(DEFINITIONS, before, { ...before, nickname: 'Bee' }, ''),
      isMutabilityError('nickname'),
    );
    const { badge: _badge, ...withoutBadge } = before;
    assert.throws(
      () => assertImmutableAttributesUnchanged(DEFINITIONS, before, withoutBadge, ''),
      isMutabilityError('badge'),
    );
    assert.throws(
      () =>
        assertImmutableAttributesUnchanged(DEFINITIONS, before, { ...before, card: { number: '43' } }, ''),
      isMutabilityError('card.number'),
    );
  });
});

describe('assertImmutableUnchanged', () => {
  it('accepts any change to the readWrite attributes of the User schemas', () => {
    const user = getResourceType('User');
    assertImmutableUnchanged(
      user,
      {
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        userName: 'a',
        [ENTERPRISE_USER_SCHEMA]: { department: 'x' },
      },
      { schemas: [USER_SCHEMA], userName: 'b' },
    );
  });
});
