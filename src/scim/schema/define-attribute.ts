import type {
  AttributeDefinition,
  AttributeType,
  Mutability,
  Returned,
  Uniqueness,
} from './attribute-definition.ts';

/** Characteristics a schema file states; everything left out takes the RFC 7643 §2.2 default. */
export interface AttributeCharacteristics {
  readonly multiValued?: boolean;
  readonly required?: boolean;
  readonly caseExact?: boolean;
  readonly mutability?: Mutability;
  readonly returned?: Returned;
  readonly uniqueness?: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
}

/**
 * A simple attribute with every characteristic present. Omitted characteristics take the defaults
 * of RFC 7643 §2.2 (required false, caseExact false, mutability readWrite, returned default,
 * uniqueness none), which is also how the RFC's §8.7.1 JSON reads where it leaves one out.
 * The result is frozen: definitions are shared by every request.
 * @see RFC 7643 §2.2
 */
export function defineAttribute(
  name: string,
  type: Exclude<AttributeType, 'complex'>,
  description: string,
  characteristics: AttributeCharacteristics = {},
): AttributeDefinition {
  return freezeDefinition(name, type, description, characteristics, undefined);
}

/**
 * A complex attribute. Sub-attributes may not themselves be complex.
 * @see RFC 7643 §2.3.8
 */
export function defineComplex(
  name: string,
  description: string,
  subAttributes: readonly AttributeDefinition[],
  characteristics: AttributeCharacteristics = {},
): AttributeDefinition {
  for (const sub of subAttributes) {
    if (sub.type === 'complex')
      throw new Error(`${name}.${sub.name}: complex sub-attributes are not allowed`);
  }
  return freezeDefinition(name, 'complex', description, characteristics, Object.freeze([...subAttributes]));
}

function freezeDefinition(
  name: string,
  type: AttributeType,
  description: string,
  c: AttributeCharacteristics,
  subAttributes: readonly AttributeDefinition[] | undefined,
): AttributeDefinition {
  const definition: {
    -readonly [K in keyof AttributeDefinition]: AttributeDefinition[K];
  } = {
    name,
    type,
    multiValued: c.multiValued ?? false,
    description,
    required: c.required ?? false,
    caseExact: c.caseExact ?? false,
    mutability: c.mutability ?? 'readWrite',
    returned: c.returned ?? 'default',
    uniqueness: c.uniqueness ?? 'none',
  };
  if (c.canonicalValues !== undefined) definition.canonicalValues = Object.freeze([...c.canonicalValues]);
  if (c.referenceTypes !== undefined) definition.referenceTypes = Object.freeze([...c.referenceTypes]);
  if (subAttributes !== undefined) definition.subAttributes = subAttributes;
  return Object.freeze(definition);
}

/** The `display` sub-attribute of RFC 7643 §2.4, as §8.7.1 defines it for most multi-valued attributes. */
export function defineDisplay(characteristics: AttributeCharacteristics = {}): AttributeDefinition {
  return defineAttribute(
    'display',
    'string',
    'A human-readable name, primarily used for display purposes.  READ-ONLY.',
    characteristics,
  );
}

/** The `primary` sub-attribute of RFC 7643 §2.4; `example` completes the RFC's sentence. */
export function definePrimary(example?: string): AttributeDefinition {
  const eg = example === undefined ? '' : `, e.g., ${example}`;
  return defineAttribute(
    'primary',
    'boolean',
    `A Boolean value indicating the 'primary' or preferred attribute value for this attribute${eg}.  The primary attribute value 'true' MUST appear no more than once.`,
  );
}
