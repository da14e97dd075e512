import type { AttributePath, ComparisonValue, Filter, PatchPath } from './filter-ast.ts';

/**
 * Prints a filter in canonical text: lower-case keywords, single spaces, JSON literals, and
 * parentheses only where `or` sits under `and`, or where a right operand has the same operator
 * (the parser associates left). `parseFilter(printFilter(f))` deep-equals `f`.
 * @see RFC 7644 §3.4.2.2
 */
export function printFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${printAttributePath(filter.path)} ${filter.op} ${printValue(filter.value)}`;
    case 'present':
      return `${printAttributePath(filter.path)} pr`;
    case 'and':
      return `${printOperand(filter.left, false, 'and')} and ${printOperand(filter.right, true, 'and')}`;
    case 'or':
      return `${printOperand(filter.left, false, 'or')} or ${printOperand(filter.right, true, 'or')}`;
    case 'not':
      return `not (${printFilter(filter.filter)})`;
    case 'valuePath':
      return `${printAttributePath(filter.path)}[${printFilter(filter.filter)}]`;
  }
}

/** `uri:name.sub`, as written in a filter or PATCH path. */
export function printAttributePath(path: AttributePath): string {
  const qualified = path.uri === undefined ? path.name : `${path.uri}:${path.name}`;
  return path.sub === undefined ? qualified : `${qualified}.${path.sub}`;
}

/** A PATCH path in canonical text; `parsePatchPath(printPatchPath(p))` deep-equals `p`. */
export function printPatchPath(path: PatchPath): string {
  if (path.filter === undefined) return printAttributePath(path.attribute);
  const bracketed = `${printAttributePath(path.attribute)}[${printFilter(path.filter)}]`;
  return path.subAttribute === undefined ? bracketed : `${bracketed}.${path.subAttribute}`;
}

function printOperand(operand: Filter, isRight: boolean, parent: 'and' | 'or'): string {
  const text = printFilter(operand);
  const needsGrouping = (parent === 'and' && operand.kind === 'or') || (isRight && operand.kind === parent);
  return needsGrouping ? `(${text})` : text;
}

function printValue(value: ComparisonValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`A filter cannot hold the number ${value}`);
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  return JSON.stringify(value);
}
