import { badRequest } from '../errors.ts';
import { canonicalDateTime } from '../filter/compare-values.ts';
import { coerceEntraManagerString } from '../quirks/coerce-entra-manager-string.ts';
import { coerceEntraStringBoolean } from '../quirks/coerce-entra-string-boolean.ts';
import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import { findSubAttribute } from '../schema/schema-registry.ts';
import { describeJsonType, isJsonObject } from './json-value.ts';

/** Standard base64 (RFC 4648 §4), padded, no line breaks. @see RFC 7643 §2.3.6 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const EXPECTED: Readonly<Record<AttributeDefinition['type'], string>> = {
  string: 'a string',
  reference: 'a reference string',
  binary: 'a base64 string',
  boolean: 'a boolean',
  integer: 'an integer',
  decimal: 'a number',
  dateTime: 'an xsd:dateTime string',
  complex: 'an object',
};

/**
 * Validates one attribute value as a client sent it and returns its canonical form, or undefined
 * when the value is "unassigned" (RFC 7643 §2.5: null, empty string, empty array, or a complex
 * value with nothing assigned in it). `path` names the value in error details (`emails[1].type`).
 * Throws ScimError 400: `invalidValue` for a wrong type, `invalidSyntax` for an unknown
 * sub-attribute. readOnly sub-attributes are ignored (RFC 7644 §3.5.1: clients send back what they
 * read).
 */
export function canonicalizeValue(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (!definition.multiValued) {
    if (Array.isArray(value)) throw wrongType(definition, value, path);
    return canonicalizeSingleValue(definition, value, path);
  }
  if (!Array.isArray(value)) {
    throw badRequest(
      'invalidValue',
      `Invalid value for "${path}": the attribute is multi-valued, expected an array, got ${describeJsonType(value)}`,
    );
  }
  const values: unknown[] = [];
  value.forEach((element, index) => {
    if (Array.isArray(element)) throw wrongType(definition, element, `${path}[${index}]`);
    const canonical = canonicalizeSingleValue(definition, element, `${path}[${index}]`);
    if (canonical !== undefined) values.push(canonical);
  });
  if (values.length === 0) return undefined;
  assertSinglePrimary(values, path);
  return values;
}

/** One value of an attribute (the attribute's value, or one element of a multi-valued one). */
export function canonicalizeSingleValue(
  definition: AttributeDefinition,
  value: unknown,
  path: string,
): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  switch (definition.type) {
    case 'complex':
      return canonicalizeComplex(definition, coerceEntraManagerString(definition, value), path);
    case 'boolean': {
      const coerced = coerceEntraStringBoolean(value);
      if (typeof coerced !== 'boolean') throw wrongType(definition, value, path);
      return coerced;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(definition, value, path);
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(definition, value, path);
      return value;
    case 'dateTime': {
      const canonical = typeof value === 'string' ? canonicalDateTime(value) : undefined;
      if (canonical === undefined) throw wrongType(definition, value, path);
      return canonical;
    }
    case 'binary':
      if (typeof value !== 'string' || !BASE64.test(value)) throw wrongType(definition, value, path);
      return value;
    default:
      if (typeof value !== 'string') throw wrongType(definition, value, path);
      return value;
  }
}

function canonicalizeComplex(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (!isJsonObject(value)) throw wrongType(definition, value, path);
  const result: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [key, raw] of Object.entries(value)) {
    if (raw === null || raw === undefined) continue;
    const sub = findSubAttribute(definition, key);
    if (sub === undefined) throw badRequest('invalidSyntax', `Unknown sub-attribute "${key}" of "${path}"`);
    if (seen.has(sub.name)) {
      throw badRequest('invalidSyntax', `Sub-attribute "${path}.${sub.name}" is given more than once`);
    }
    seen.add(sub.name);
    if (sub.mutability === 'readOnly') continue;
    const subPath = `${path}.${sub.name}`;
    const canonical = canonicalizeValue(sub, raw, subPath);
    if (canonical === undefined) continue;
    result[sub.name] = enforcesCanonicalValues(definition, sub)
      ? canonicalSpelling(sub, canonical, subPath)
      : canonical;
  }
  if (Object.keys(result).length === 0) return undefined;
  for (const sub of definition.subAttributes ?? []) {
    if (sub.required && sub.mutability !== 'readOnly' && result[sub.name] === undefined) {
      throw badRequest('invalidValue', `Sub-attribute "${path}.${sub.name}" is required`);
    }
  }
  return result;
}

/**
 * canonicalValues are NOT enforced for `type` sub-attributes in general (`emails.type`,
 * `phoneNumbers.type`, …): RFC 7643 §2.3.1 lets service providers accept other values and clients
 * do send custom types. They ARE enforced for Group `members.type`, whose values (`User`, `Group`)
 * decide where the member id points.
 */
function enforcesCanonicalValues(parent: AttributeDefinition, sub: AttributeDefinition): boolean {
  return parent.name === 'members' && sub.name === 'type' && (sub.canonicalValues?.length ?? 0) > 0;
}

function canonicalSpelling(definition: AttributeDefinition, value: unknown, path: string): unknown {
  const allowed = definition.canonicalValues ?? [];
  const folded = typeof value === 'string' ? value.toLowerCase() : undefined;
  const match = allowed.find((candidate) => candidate.toLowerCase() === folded);
  if (match === undefined) {
    throw badRequest('invalidValue', `Invalid value for "${path}": expected one of ${allowed.join(', ')}`);
  }
  return match;
}

/** RFC 7643 §2.4: the primary attribute value "true" MUST appear no more than once. */
function assertSinglePrimary(values: readonly unknown[], path: string): void {
  let primaries = 0;
  for (const value of values) if (isJsonObject(value) && value.primary === true) primaries++;
  if (primaries > 1) {
    throw badRequest(
      'invalidValue',
      `At most one value of "${path}" may have "primary": true (RFC 7643 §2.4)`,
    );
  }
}

function wrongType(definition: AttributeDefinition, value: unknown, path: string) {
  return badRequest(
    'invalidValue',
    `Invalid value for "${path}": expected ${EXPECTED[definition.type]}, got ${describeJsonType(value)}`,
  );
}
