import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import { findSubAttribute } from '../schema/schema-registry.ts';
import { canonicalDateTime } from './compare-values.ts';
import type { CompareOperator, ComparisonValue, Filter } from './filter-ast.ts';
import { checkFilterable, type FilterTarget, invalidFilter } from './filter-target.ts';

type CompareFilter = Extract<Filter, { kind: 'compare' }>;

const SUBSTRING: ReadonlySet<CompareOperator> = new Set(['co', 'sw', 'ew']);

/**
 * Type-checks one comparison against the attribute it names and returns it resolved. `eq null`
 * and `ne null` mean "not present" and "present" on any attribute; otherwise a complex attribute
 * stands for its `value` sub-attribute, booleans and binaries take only `eq`/`ne`, substring
 * operators apply only to strings, and the literal must have the attribute's JSON type.
 * @see RFC 7644 §3.4.2.2
 */
export function checkComparison(filter: CompareFilter, target: FilterTarget): Filter {
  const { op, value } = filter;
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') {
      throw invalidFilter(`"${op} null" is not allowed; use "eq null" (not present) or "ne null" (present)`);
    }
    return { kind: 'compare', path: target.path, op, value };
  }
  let { path, definition } = target;
  if (definition.type === 'complex') {
    const valueSub = findSubAttribute(definition, 'value');
    if (valueSub === undefined) {
      throw invalidFilter(
        `"${target.written}" is a complex attribute without a "value" sub-attribute; compare one of its sub-attributes`,
      );
    }
    checkFilterable(valueSub, `${target.written}.value`);
    path = { ...path, sub: valueSub.name };
    definition = valueSub;
  }
  return { kind: 'compare', path, op, value: checkLiteral(op, value, definition, target.written) };
}

function checkLiteral(
  op: CompareOperator,
  value: string | number | boolean,
  definition: AttributeDefinition,
  written: string,
): ComparisonValue {
  const type = definition.type;
  const described = `"${written}" is a ${type} attribute`;
  if ((type === 'boolean' || type === 'binary') && op !== 'eq' && op !== 'ne') {
    throw invalidFilter(`${described}: only eq, ne and pr apply to it, not ${op}`);
  }
  if (SUBSTRING.has(op) && type !== 'string' && type !== 'reference') {
    throw invalidFilter(`${described}: ${op} applies only to string attributes`);
  }
  switch (type) {
    case 'boolean':
      if (typeof value !== 'boolean')
        throw invalidFilter(`${described}: compare it with true, false or null`);
      return value;
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number')
        throw invalidFilter(`${described}: compare it with a number, not ${JSON.stringify(value)}`);
      return value;
    case 'dateTime': {
      const canonical = typeof value === 'string' ? canonicalDateTime(value) : undefined;
      if (canonical === undefined) {
        throw invalidFilter(
          `${described}: compare it with an xsd:dateTime string such as "2011-05-13T04:42:34Z", not ${JSON.stringify(value)}`,
        );
      }
      return canonical;
    }
    default:
      if (typeof value !== 'string') {
        throw invalidFilter(`${described}: compare it with a string, not ${JSON.stringify(value)}`);
      }
      return value;
  }
}
