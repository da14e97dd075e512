import type { RawBuilder } from 'kysely';

export type SqlExpression = RawBuilder<unknown>;

/**
 * What differs between SQLite and PostgreSQL in the SQL this project writes: JSON access, case folding,
 * text ordering and error codes. Everything else is plain Kysely.
 *
 * Contract shared by both implementations, relied on by the SCIM filter compiler and checked by its
 * property tests against the in-memory evaluator:
 * - `foldCase` equals JavaScript's `String.prototype.toLowerCase` (full Unicode case mapping);
 * - `codePointOrder` makes `<`, `>` and ORDER BY compare text by Unicode code point;
 * - JSON helpers take a JSON expression (a `doc` column or an array element) and a key path.
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  foldCase(text: SqlExpression): SqlExpression;
  codePointOrder(text: SqlExpression): SqlExpression;
  /** The string at `keys`, or SQL NULL when absent or not a string. */
  jsonText(json: SqlExpression, keys: readonly string[]): SqlExpression;
  /** The number at `keys`, or SQL NULL. */
  jsonNumber(json: SqlExpression, keys: readonly string[]): SqlExpression;
  /** TRUE when the value at `keys` is the JSON boolean `value`; never NULL. */
  jsonBooleanIs(json: SqlExpression, keys: readonly string[], value: boolean): SqlExpression;
  /** TRUE when a non-null value exists at `keys`; never NULL. */
  jsonExists(json: SqlExpression, keys: readonly string[]): SqlExpression;
  /** A FROM item `<fn>(...) AS <alias>` whose rows expose each array element as `<alias>.value`. */
  jsonArrayElements(json: SqlExpression, keys: readonly string[], alias: string): SqlExpression;
  /** `needle` occurs in `haystack` (both text, never NULL here). */
  contains(haystack: SqlExpression, needle: string): SqlExpression;
  startsWith(text: SqlExpression, prefix: string): SqlExpression;
  endsWith(text: SqlExpression, suffix: string): SqlExpression;
  /**
   * An aggregate building a JSON array of objects (`[]` over no rows), one object per row with the
   * given keys, in `orderBy` order; for a scalar subquery.
   */
  jsonArrayAggregate(
    fields: readonly (readonly [string, SqlExpression])[],
    orderBy: SqlExpression,
  ): SqlExpression;
  /** Encode a JSON document for a `doc` column. */
  encodeJson(value: unknown): unknown;
  /** Decode a `doc` column as read. */
  decodeJson(value: unknown): unknown;
  /** The violated unique constraint's name when `error` is a unique violation. */
  uniqueViolation(error: unknown): string | undefined;
}
