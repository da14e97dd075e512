import type { Argument, Expression } from './expression-ast.ts';

/**
 * Canonical text of an expression: function names as Entra spells them, every attribute in
 * brackets, `, ` between arguments, spaces around comparison operators. Parsing the text gives back
 * the same tree (positions aside) for every tree `parseExpression` can produce.
 */
export function printExpression(expression: Expression): string {
  return printArgument(expression);
}

function printArgument(node: Argument): string {
  switch (node.kind) {
    case 'call':
      return `${node.name}(${node.args.map(printArgument).join(', ')})`;
    case 'attribute':
      return `[${node.name}]`;
    case 'string':
      return printString(node.value);
    case 'number':
      return Object.is(node.value, -0) ? '-0' : String(node.value);
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'comparison':
      return `${printArgument(node.left)} ${node.operator} ${printArgument(node.right)}`;
    case 'omitted':
      return '';
  }
}

/** Entra's string constant: double quotes, with `\` and `"` escaped by a backslash. */
export function printString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
