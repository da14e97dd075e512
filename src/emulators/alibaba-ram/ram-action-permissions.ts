import { z } from 'zod';

/**
 * What a caller AccessKey may do, the way a RAM policy's `Action` element says it: `ram:<Action>`
 * names with `*` wildcards (`ram:*`, `ram:Get*`, `ram:DeleteUser`), or `*` for everything. Matching
 * ignores case, as RAM's does. Only `Allow` statements on `Resource: "*"` are modelled: no Deny, no
 * resource-level or conditional grants.
 */
export const RamActionPatternSchema = z
  .string()
  .regex(/^(\*|ram:[A-Za-z*]+)$/, 'an action is "*" or "ram:<Action>" with optional "*" wildcards');

/** AliyunRAMFullAccess. */
export const RAM_FULL_ACCESS_ACTIONS: readonly string[] = Object.freeze(['ram:*']);
/** AliyunRAMReadOnlyAccess. */
export const RAM_READ_ONLY_ACTIONS: readonly string[] = Object.freeze(['ram:Get*', 'ram:List*']);

/** Whether `action` (an RPC action name such as `DeleteUser`) is granted by one of `patterns`. */
export function isRamActionAllowed(patterns: readonly string[], action: string): boolean {
  const qualified = `ram:${action}`.toLowerCase();
  return patterns.some((pattern) => compilePattern(pattern).test(qualified));
}

const compiled = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    const body = pattern
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${body}$`);
    compiled.set(pattern, regex);
  }
  return regex;
}
