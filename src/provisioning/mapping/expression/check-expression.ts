import type { Argument, CallExpression, Comparison, Expression, Span } from './expression-ast.ts';
import { type ExpressionError, errorAt, MAX_EXPRESSION_DEPTH } from './expression-error.ts';
import { type AttributeCatalogue, describeType, type ExpressionType, sameType } from './expression-types.ts';
import { BOOLEAN, type FunctionDefinition, type Parameter } from './function-definition.ts';
import { findFunctionDefinition } from './function-definitions.ts';

export type CheckResult =
  | { readonly ok: true; readonly type: ExpressionType }
  | { readonly ok: false; readonly errors: readonly ExpressionError[] };

const NULL_TYPE: ExpressionType = { type: 'null', multiValued: false };
const STRING_TYPE: ExpressionType = { type: 'string', multiValued: false };

const COMPARISON_PLACE = "a comparison can only be IIF's condition or Not's argument";

/**
 * Type-checks a parsed expression against the source's attributes: every attribute known (unless
 * the catalogue is an open world), every call with an argument count and argument types its
 * function accepts, comparisons only where a boolean is expected. Reports every error found, each
 * at the offending argument or name; on success returns the type of the whole expression.
 */
export function checkExpression(expression: Expression, catalogue: AttributeCatalogue): CheckResult {
  const checker = new ExpressionChecker(catalogue);
  if (expression.kind === 'comparison') checker.report(expression, COMPARISON_PLACE);
  const type = checker.typeOf(expression, 0);
  if (checker.errors.length > 0) return { ok: false, errors: checker.errors };
  return { ok: true, type: type ?? NULL_TYPE };
}

class ExpressionChecker {
  readonly errors: ExpressionError[] = [];
  private readonly catalogue: AttributeCatalogue;

  constructor(catalogue: AttributeCatalogue) {
    this.catalogue = catalogue;
  }

  report(span: Span, message: string): void {
    this.errors.push(errorAt(span, message));
  }

  /** The node's type, or undefined when an error has been reported inside it. */
  typeOf(node: Expression, depth: number): ExpressionType | undefined {
    switch (node.kind) {
      case 'string':
        return STRING_TYPE;
      case 'number':
        return { type: 'number', multiValued: false };
      case 'boolean':
        return BOOLEAN;
      case 'null':
        return NULL_TYPE;
      case 'attribute':
        return this.typeOfAttribute(node.name, node);
      case 'comparison':
        return this.typeOfComparison(node, depth);
      case 'call':
        return this.typeOfCall(node, depth);
    }
  }

  private typeOfAttribute(name: string, span: Span): ExpressionType | undefined {
    const type = this.catalogue.lookup(name);
    if (type !== undefined) return type;
    if (this.catalogue.openWorld === true) return STRING_TYPE;
    this.report(span, `unknown attribute "${name}"`);
    return undefined;
  }

  private typeOfComparison(node: Comparison, depth: number): ExpressionType {
    const left = this.typeOf(node.left, depth);
    const right = this.typeOf(node.right, depth);
    for (const [side, type] of [
      [node.left, left],
      [node.right, right],
    ] as const) {
      if (type?.multiValued)
        this.report(side, `a comparison needs one value on each side but found ${describeType(type)}`);
    }
    if (left === undefined || right === undefined || left.multiValued || right.multiValued) return BOOLEAN;
    if (left.type !== 'null' && right.type !== 'null' && left.type !== right.type) {
      this.report(node, `cannot compare ${describeType(left)} with ${describeType(right)}`);
    } else if (
      node.operator !== '=' &&
      node.operator !== '<>' &&
      (left.type === 'boolean' || right.type === 'boolean')
    ) {
      this.report(node, `"${node.operator}" cannot order booleans; use "=" or "<>"`);
    }
    return BOOLEAN;
  }

  private typeOfCall(call: CallExpression, depth: number): ExpressionType | undefined {
    if (depth >= MAX_EXPRESSION_DEPTH) {
      this.report(call, `the expression nests function calls deeper than ${MAX_EXPRESSION_DEPTH} levels`);
      return undefined;
    }
    const definition = findFunctionDefinition(call.name);
    if (definition === undefined) {
      this.report(call, `unknown function "${call.name}"`);
      return undefined;
    }
    const errorsBefore = this.errors.length;
    const arityOk = this.checkArity(call, definition);
    let unified: ExpressionType | undefined;
    call.args.forEach((arg, index) => {
      const parameter = definition.parameter(index, call.args.length);
      const type = this.typeOfArgument(arg, parameter, definition, depth + 1);
      if (type === undefined || parameter.kind !== 'same' || type.type === 'null') return;
      if (unified === undefined) unified = type;
      else if (!sameType(type, unified)) {
        this.report(
          arg,
          `${definition.name} expects ${describeType(unified)} here, like its other values, but found ${describeType(type)}`,
        );
      }
    });
    if (arityOk) definition.checkCall?.(call, (span, message) => this.report(span, message));
    if (this.errors.length > errorsBefore) return undefined;
    return definition.result === 'unified' ? (unified ?? NULL_TYPE) : definition.result;
  }

  private checkArity(call: CallExpression, definition: FunctionDefinition): boolean {
    const count = call.args.length;
    const { minArgs, maxArgs } = definition;
    const expected =
      minArgs === maxArgs
        ? `${minArgs}`
        : maxArgs === Infinity
          ? `at least ${minArgs}`
          : `${minArgs} to ${maxArgs}`;
    const problem = `${definition.name} takes ${expected} argument${expected === '1' ? '' : 's'} (${definition.signature}) but has ${count}`;
    if (count < minArgs) this.report(call, problem);
    else if (count > maxArgs) this.report(call.args[maxArgs]!, problem);
    else return true;
    return false;
  }

  private typeOfArgument(
    arg: Argument,
    parameter: Parameter,
    definition: FunctionDefinition,
    depth: number,
  ): ExpressionType | undefined {
    if (arg.kind === 'omitted') {
      if (parameter.optional !== true) {
        this.report(
          arg,
          `${definition.name} needs its ${parameter.name} argument here (${definition.signature})`,
        );
      }
      return undefined;
    }
    if (arg.kind === 'comparison' && parameter.kind !== 'boolean') {
      this.report(arg, COMPARISON_PLACE);
      this.typeOf(arg, depth);
      return undefined;
    }
    const type = this.typeOf(arg, depth);
    if (type === undefined) return undefined;
    const expectation = rejectArgument(parameter, type);
    const fraction = parameter.kind === 'integer' && arg.kind === 'number' && !Number.isInteger(arg.value);
    if (expectation !== undefined || fraction) {
      const found = fraction ? String((arg as { value: number }).value) : describeType(type);
      this.report(
        arg,
        `${definition.name}'s ${parameter.name} expects ${expectation ?? 'a whole number'} but found ${found}`,
      );
      return undefined;
    }
    return type;
  }
}

/** What the parameter expects, when the argument does not fit it. */
function rejectArgument(parameter: Parameter, type: ExpressionType): string | undefined {
  switch (parameter.kind) {
    case 'text':
      return type.multiValued ? 'a single value' : undefined;
    case 'integer':
      return type.multiValued || (type.type !== 'number' && type.type !== 'null')
        ? 'a whole number'
        : undefined;
    case 'boolean':
      return type.multiValued || type.type === 'number' || type.type === 'dateTime'
        ? 'a boolean, a "True"/"False" string or a comparison'
        : undefined;
    case 'dateTime':
      return type.multiValued || type.type === 'number' || type.type === 'boolean'
        ? 'a dateTime or a date string'
        : undefined;
    default:
      return undefined;
  }
}
