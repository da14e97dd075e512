import { sql } from 'kysely';
import type { AttributeDefinition } from '../../scim/schema/attribute-definition.ts';
import type { SqlDialect, SqlExpression } from '../../storage/sql-dialect.ts';

/**
 * How to read one single value of an attribute in SQL. Exactly one of `text`, `number`, `boolean` is set,
 * matching the attribute's type. Every predicate built from it is two-valued (TRUE or FALSE, never NULL),
 * so `not` means "not" as it does in the in-memory evaluator.
 */
export interface ScalarAccess {
  /** Text value (string, reference, binary, dateTime) or NULL. */
  readonly text?: SqlExpression;
  /** The value already folded with `toLowerCase` (an indexed `*_ci` column). */
  readonly folded?: SqlExpression;
  /** Numeric value or NULL. */
  readonly number?: SqlExpression;
  /** Boolean test: TRUE when the value is the given boolean. */
  readonly booleanIs?: (value: boolean) => SqlExpression;
  /** TRUE when a non-empty value is present. */
  readonly present: SqlExpression;
}

/** Access to a value stored in a JSON document (`doc` or an array element) at `keys`. */
export function jsonScalarAccess(
  dialect: SqlDialect,
  json: SqlExpression,
  keys: readonly string[],
  definition: AttributeDefinition,
): ScalarAccess {
  switch (definition.type) {
    case 'boolean':
      return {
        booleanIs: (value) => dialect.jsonBooleanIs(json, keys, value),
        present: dialect.jsonExists(json, keys),
      };
    case 'integer':
    case 'decimal': {
      const number = dialect.jsonNumber(json, keys);
      return { number, present: sql`(${number} is not null)` };
    }
    case 'complex':
      return { present: dialect.jsonExists(json, keys) };
    default:
      return textAccess(dialect.jsonText(json, keys));
  }
}

/** Access to a text expression that may be NULL. */
export function textAccess(text: SqlExpression, folded?: SqlExpression): ScalarAccess {
  return {
    text,
    ...(folded !== undefined ? { folded } : {}),
    present: sql`(${text} is not null and ${text} <> '')`,
  };
}
