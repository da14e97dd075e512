import { badRequest } from '../scim/errors.ts';
import type { PatchOperation } from '../scim/patch/patch-operation.ts';
import { USER_SCHEMA } from '../scim/schema/schema-urns.ts';

/**
 * Takes `password` out of a PATCH: it is writeOnly and kept hashed outside the document, so the
 * document patcher never sees it. Returns the new password, `null` when removed, undefined when untouched.
 * @see RFC 7643 §4.1.1
 */
export function extractPasswordOperations(operations: readonly PatchOperation[]): {
  password: string | null | undefined;
  operations: PatchOperation[];
} {
  let password: string | null | undefined;
  const rest: PatchOperation[] = [];
  for (const operation of operations) {
    const path = operation.path;
    if (path !== undefined) {
      const isPassword =
        path.attribute.name.toLowerCase() === 'password' &&
        (path.attribute.uri === undefined || path.attribute.uri.toLowerCase() === USER_SCHEMA.toLowerCase());
      if (!isPassword) {
        rest.push(operation);
        continue;
      }
      if (operation.op === 'remove') password = null;
      else password = requirePassword(operation.value);
      continue;
    }
    if (operation.op !== 'remove' && isObject(operation.value)) {
      const entries = Object.entries(operation.value);
      const passwordEntry = entries.find(([key]) => isPasswordKey(key));
      if (passwordEntry !== undefined) {
        password = requirePassword(passwordEntry[1]);
        const others = Object.fromEntries(entries.filter(([key]) => !isPasswordKey(key)));
        if (Object.keys(others).length > 0) rest.push({ ...operation, value: others });
        continue;
      }
    }
    rest.push(operation);
  }
  return { password, operations: rest };
}

const QUALIFIED_PASSWORD = `${USER_SCHEMA}:password`.toLowerCase();

/** `password`, or the same URN-qualified (RFC 7644 §3.10), in a pathless value object. */
function isPasswordKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower === 'password' || lower === QUALIFIED_PASSWORD;
}

function requirePassword(value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw badRequest('invalidValue', 'password must be a non-empty string');
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
