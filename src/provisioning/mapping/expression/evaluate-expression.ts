import { compareValues } from './compare-values.ts';
import type { Argument, CallExpression, Expression, Span } from './expression-ast.ts';
import { type ExpressionError, errorAt, MAX_EXPRESSION_DEPTH } from './expression-error.ts';
import {
  EvaluationFailure,
  isList,
  type MappedValue,
  type Scalar,
  textOf,
  toMappedValue,
  toValue,
  type Value,
} from './expression-value.ts';
import type { CallFrame } from './function-definition.ts';
import { findFunctionDefinition } from './function-definitions.ts';

/**
 * Reads an attribute of the object being mapped, by the name written in the expression (SCIM path
 * resolution, such as `emails[type eq "work"].value`, is the source's job). Returns a string,
 * number, boolean, Date, undefined/null for absent, or a list of those for a multi-valued attribute.
 * A list of one is read as its value by functions that expect one value, but Coalesce, IIF, Switch
 * and a bare reference pass it on as a list: a source should return lists only for attributes its
 * catalogue calls multi-valued.
 */
export type AttributeSource = (name: string) => unknown;

/**
 * The outcome of one evaluation: the mapped value (null when the result is absent), or the first
 * bad value met, located at the node that could not use it.
 */
export type EvaluationResult =
  | { readonly ok: true; readonly value: MappedValue }
  | { readonly ok: false; readonly error: ExpressionError };

/**
 * Evaluates an expression for one source object, with the semantics of Entra's functions. Never
 * throws for data: a value a function cannot use, an attribute the source cannot read or
 * represent, come back as `{ ok: false, error }`. IIF, Switch and Coalesce evaluate only the
 * arguments they need. Meant for checked expressions; an unchecked one still never throws.
 */
export function evaluateExpression(expression: Expression, source: AttributeSource): EvaluationResult {
  try {
    return { ok: true, value: toMappedValue(evaluateNode(expression, source, 0)) };
  } catch (error) {
    if (error instanceof EvaluationFailure) return { ok: false, error: errorAt(error.span, error.message) };
    throw error;
  }
}

function evaluateNode(node: Argument, source: AttributeSource, depth: number): Value {
  switch (node.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
    case 'null':
    case 'omitted':
      return null;
    case 'attribute':
      return toValue(readAttribute(source, node.name, node), node, node.name);
    case 'comparison':
      return compareValues(
        node.operator,
        singleOf(evaluateNode(node.left, source, depth), node.left),
        singleOf(evaluateNode(node.right, source, depth), node.right),
      );
    case 'call':
      return evaluateCall(node, source, depth);
  }
}

function readAttribute(source: AttributeSource, name: string, span: Span): unknown {
  try {
    return source(name);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EvaluationFailure(span, `reading attribute ${name} failed: ${reason}`);
  }
}

function evaluateCall(call: CallExpression, source: AttributeSource, depth: number): Value {
  if (depth >= MAX_EXPRESSION_DEPTH) {
    throw new EvaluationFailure(
      call,
      `the expression nests function calls deeper than ${MAX_EXPRESSION_DEPTH} levels`,
    );
  }
  const definition = findFunctionDefinition(call.name);
  if (definition === undefined) throw new EvaluationFailure(call, `unknown function "${call.name}"`);
  const describe = (index: number): string =>
    `${definition.name}'s ${definition.parameter(index, call.args.length).name}`;
  return definition.evaluate(new ArgumentFrame(call, source, depth + 1, describe));
}

/** A list of one value stands for that value (LDAP hands every attribute over as a list). */
function singleOf(value: Value, span: Span, what = 'a comparison'): Scalar | null {
  if (!isList(value)) return value as Scalar | null;
  if (value.length === 1) return value[0]!;
  throw new EvaluationFailure(span, `${what} expects one value but found ${value.length}`);
}

class ArgumentFrame implements CallFrame {
  readonly call: CallExpression;
  readonly count: number;
  private readonly source: AttributeSource;
  private readonly depth: number;
  private readonly describe: (index: number) => string;

  constructor(
    call: CallExpression,
    source: AttributeSource,
    depth: number,
    describe: (index: number) => string,
  ) {
    this.call = call;
    this.count = call.args.length;
    this.source = source;
    this.depth = depth;
    this.describe = describe;
  }

  isOmitted(index: number): boolean {
    const arg = this.call.args[index];
    return arg === undefined || arg.kind === 'omitted';
  }

  spanOf(index: number): Span {
    const arg = this.call.args[index];
    return arg === undefined || arg.kind === 'omitted' ? this.call : arg;
  }

  value(index: number): Value {
    const arg = this.call.args[index];
    return arg === undefined ? null : evaluateNode(arg, this.source, this.depth);
  }

  scalar(index: number): Scalar | null {
    return singleOf(this.value(index), this.spanOf(index), this.describe(index));
  }

  text(index: number): string | null {
    const value = this.scalar(index);
    return value === null ? null : textOf(value);
  }

  integer(index: number): number | null {
    const value = this.scalar(index);
    if (value === null) return null;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'string' && /^\s*[+-]?\d{1,15}\s*$/.test(value)) return Number(value);
    throw this.fail(index, `expects a whole number but found ${JSON.stringify(textOf(value))}`);
  }

  boolean(index: number): boolean | null {
    const value = this.scalar(index);
    if (value === null || typeof value === 'boolean') return value;
    const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
    if (text === 'true' || text === 'false') return text === 'true';
    throw this.fail(index, `expects True or False but found ${JSON.stringify(textOf(value))}`);
  }

  list(index: number): string[] {
    const value = this.value(index);
    if (value === null) return [];
    return isList(value) ? value.map(textOf) : [textOf(value as Scalar)];
  }

  fail(index: number, problem: string): EvaluationFailure {
    return new EvaluationFailure(this.spanOf(index), `${this.describe(index)} ${problem}`);
  }
}
