import { randomBytes } from 'node:crypto';

/**
 * The shape of a secret Lockstep issues: `<prefix>_<id>_<256 random bits>`. The id names the stored
 * hash, so verification costs one slow hash, not one per candidate; the prefix tells a reader (and a
 * secret scanner) what the value is. Prefixes: `lss` app secret, `lsa` admin token.
 */
export type SecretPrefix = 'lss' | 'lsa';

const ID_PATTERN = /^[0-9a-f]{16}$/;
const RANDOM_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSecretId(): string {
  return randomBytes(8).toString('hex');
}

export function issueSecret(prefix: SecretPrefix, id = newSecretId()): { id: string; value: string } {
  return { id, value: `${prefix}_${id}_${randomBytes(32).toString('base64url')}` };
}

/** The id inside a presented secret, or undefined when it does not have the issued shape. */
export function parseSecret(prefix: SecretPrefix, value: string): { id: string } | undefined {
  if (value.length !== prefix.length + 1 + 16 + 1 + 43 || !value.startsWith(`${prefix}_`)) return undefined;
  const id = value.slice(prefix.length + 1, prefix.length + 17);
  const random = value.slice(prefix.length + 18);
  if (value[prefix.length + 17] !== '_' || !ID_PATTERN.test(id) || !RANDOM_PATTERN.test(random))
    return undefined;
  return { id };
}
