import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Slow, salted hashes for secrets that are shown once (app secrets, admin tokens).
 * scrypt with N = 2^15, r = 8, p = 1 (32 MiB, the OWASP recommendation) costs tens of milliseconds,
 * so a stolen database does not yield secrets; verification compares in constant time.
 * @see decision 0008
 */
const PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SCRYPT_PREFIX = 'scrypt';
/** Converted bootstrap tokens (256 random bits, hashed with SHA-256 before issue 3). */
export const LEGACY_SHA256_PREFIX = 'legacy-sha256';

function derive(value: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      value,
      salt,
      KEY_LENGTH,
      { ...options, maxmem: 128 * options.N! * options.r! * 2 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

export async function hashSecret(value: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(value, salt, PARAMETERS);
  const { N, r, p } = PARAMETERS;
  return `${SCRYPT_PREFIX}$${Math.log2(N)}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** SHA-256 in base64url: how bootstrap tokens were stored, and the in-memory cache key of verified secrets. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** Whether `value` is the secret behind `stored`; constant-time in the secret's content. */
export async function verifySecretHash(value: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts[0] === LEGACY_SHA256_PREFIX && parts.length === 2) {
    return equalConstantTime(Buffer.from(sha256(value)), Buffer.from(parts[1] ?? ''));
  }
  if (parts[0] !== SCRYPT_PREFIX || parts.length !== 6) return false;
  const [, logN, r, p, salt, key] = parts;
  const expected = Buffer.from(key ?? '', 'base64url');
  const actual = await derive(value, Buffer.from(salt ?? '', 'base64url'), {
    N: 2 ** Number(logN),
    r: Number(r),
    p: Number(p),
  });
  return equalConstantTime(actual, expected);
}

/**
 * Spends the same time as a real verification, so an unknown client id or token id cannot be told
 * from a wrong secret by timing.
 */
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstNothing(value: string): Promise<false> {
  dummyHash ??= hashSecret(randomBytes(16).toString('hex'));
  await verifySecretHash(value, await dummyHash);
  return false;
}

function equalConstantTime(a: Buffer, b: Buffer): boolean {
  // timingSafeEqual needs equal lengths; comparing a with itself keeps the time independent of b.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
