import {
  type AttributeSource,
  type Expression,
  evaluateExpression,
  parseExpression,
} from '../../provisioning/mapping/expression/index.ts';
import { parseScimPath } from '../apply/scim-path.ts';

/** A source mapping: SCIM attribute path ← expression over the source's attributes. */
export type SourceMapping = Readonly<Record<string, string>>;

export interface SourceMappingProblem {
  readonly path: string;
  readonly message: string;
  readonly position?: number;
}

export interface CompiledSourceMapping {
  /** The SCIM paths the source supplies (and owns). */
  readonly paths: readonly string[];
  /** Maps one entry; the first expression that cannot be evaluated names itself in the message. */
  map(
    read: AttributeSource,
  ): { ok: true; attributes: Record<string, unknown> } | { ok: false; message: string };
}

/** Parses every expression and checks every path once, before any entry is read. */
export function compileSourceMapping(
  mapping: SourceMapping,
): { ok: true; value: CompiledSourceMapping } | { ok: false; problems: SourceMappingProblem[] } {
  const compiled: [string, Expression][] = [];
  const problems: SourceMappingProblem[] = [];
  for (const [path, text] of Object.entries(mapping)) {
    if (parseScimPath(path) === undefined) {
      problems.push({ path, message: 'not a SCIM attribute path (name, name.sub or name[type eq "x"].sub)' });
      continue;
    }
    const parsed = parseExpression(text);
    if (!parsed.ok) problems.push({ path, message: parsed.error.message, position: parsed.error.position });
    else compiled.push([path, parsed.expression]);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      paths: compiled.map(([path]) => path),
      map(read) {
        const attributes: Record<string, unknown> = {};
        for (const [path, expression] of compiled) {
          const result = evaluateExpression(expression, read);
          if (!result.ok) return { ok: false, message: `${path}: ${result.error.message}` };
          attributes[path] = result.value;
        }
        return { ok: true, attributes };
      },
    },
  };
}
