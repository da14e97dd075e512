/**
 * # Attribute-mapping expressions
 *
 * The expression language of Lockstep's field mappings (`target ← expression`), modelled on
 * Microsoft Entra ID's attribute-mapping expressions: same syntax, same function names and
 * semantics for the functions below. Pure: no I/O, no clock, no randomness.
 *
 * - `parseExpression(text)` → `{ ok: true, expression } | { ok: false, error }`
 * - `printExpression(expression)` → canonical text, which parses back to the same tree
 * - `checkExpression(expression, catalogue)` → `{ ok: true, type } | { ok: false, errors }`
 * - `evaluateExpression(expression, source)` → `{ ok: true, value } | { ok: false, error }`
 *
 * Errors (`ExpressionError`) carry a message, a 0-based `position` and a `length` in the text.
 *
 * ## Grammar (EBNF; whitespace allowed between tokens)
 *
 * ```ebnf
 * expression = argument ;                        (* a comparison only where a boolean is expected *)
 * argument   = operand , [ compare , operand ] ;
 * compare    = "=" | "<>" | "<" | "<=" | ">" | ">=" ;
 * operand    = call | attribute | name | string | number | "true" | "false" | "null" ;
 * call       = name , "(" , [ [ argument ] , { "," , [ argument ] } ] , ")" ;  (* empty = omitted *)
 * attribute  = "[" , text with balanced "[ ]" and closed "..." strings , "]" ;
 * name       = ( letter | "_" | "$" ) , { letter | digit | "_" | "$" | "." | ":" | "-" } ;
 * string     = '"' , { any character but '"' and "\" | '\"' | "\\" } , '"' ;
 * number     = [ "-" ] , digit , { digit } , [ "." , digit , { digit } ] , [ exponent ] ;
 * ```
 *
 * A bare name is an attribute (`displayName` ≡ `[displayName]`) unless a `(` follows (a call) or it
 * is `true`, `false` or `null`; function names and these keywords are case-insensitive. `()` has
 * no arguments; `f(a, , b)` omits its second. Limits: 10,000 characters, calls nested 50 deep.
 *
 * ## Functions
 *
 * ```text
 * Append(source, suffix)                          string
 * Coalesce(source1, source2, ..., defaultValue)   type of its arguments
 * FormatDateTime(source, [dateTimeStyles,] inputFormat, outputFormat)   string
 * IIF(condition, valueIfTrue, valueIfFalse)       type of its branches
 * IsNull(expression) / IsNullOrEmpty(expression) / IsPresent(expression)   boolean
 * Join(separator, source1, source2, ...)          string
 * Left(source, numChars)                          string
 * Mid(source, start, length)                      string (start counts from 1)
 * NormalizeDiacritics(source)                     string
 * Not(source)                                     boolean
 * Replace(source, oldValue, regexPattern, regexGroupName, replacementValue,
 *         replacementAttributeName, template)     string (five forms, as Entra)
 * Split(source, delimiter)                        multi-valued string
 * StripSpaces(source)                             string
 * Switch(source, defaultValue, key1, value1, ...) type of its values
 * ToLower(source, [culture]) / ToUpper(source, [culture])   string
 * ```
 *
 * Each function's file documents its null handling and where Lockstep decides what Entra leaves
 * open.
 * @see https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data
 */
export { type CheckResult, checkExpression } from './check-expression.ts';
export { type AttributeSource, type EvaluationResult, evaluateExpression } from './evaluate-expression.ts';
export type {
  Argument,
  AttributeReference,
  BooleanLiteral,
  CallExpression,
  CompareOperator,
  Comparison,
  Expression,
  Literal,
  NullLiteral,
  NumberLiteral,
  OmittedArgument,
  Operand,
  Span,
  StringLiteral,
} from './expression-ast.ts';
export { type ExpressionError, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from './expression-error.ts';
export type { AttributeCatalogue, AttributeType, ExpressionType, ValueType } from './expression-types.ts';
export type { MappedValue } from './expression-value.ts';
export { FUNCTION_NAMES, type FunctionName } from './function-names.ts';
export { type ParseResult, parseExpression } from './parse-expression.ts';
export { printExpression } from './print-expression.ts';
