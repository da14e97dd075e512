import {
  type Argument,
  type Expression,
  parseExpression,
} from '../../provisioning/mapping/expression/index.ts';

function collect(node: Argument, into: Set<string>): void {
  if (node.kind === 'attribute') into.add(node.name);
  else if (node.kind === 'call') for (const argument of node.args) collect(argument, into);
  else if (node.kind === 'comparison') {
    collect(node.left, into);
    collect(node.right, into);
  }
}

/** The attribute names an expression reads (for a CSV source: the columns it needs). */
export function referencedAttributes(expression: Expression): string[] {
  const names = new Set<string>();
  collect(expression, names);
  return [...names];
}

/**
 * Every column a mapping reads, with the SCIM paths that read it; expressions that do not parse are
 * left out (compiling the mapping reports them).
 */
export function mappedColumns(mapping: Readonly<Record<string, string>>): Map<string, string[]> {
  const columns = new Map<string, string[]>();
  for (const [path, text] of Object.entries(mapping)) {
    const parsed = parseExpression(text);
    if (!parsed.ok) continue;
    for (const name of referencedAttributes(parsed.expression))
      columns.set(name, [...(columns.get(name) ?? []), path]);
  }
  return columns;
}
