import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals values at rest (token-signing keys now; target credentials later) with AES-256-GCM under the
 * service's secret key. The sealed form is `v1.<iv>.<tag>.<ciphertext>` in base64url; tampering or a
 * wrong key fails to open with a clear error instead of yielding garbage.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

export const SECRET_KEY_BYTES = 32;

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== SECRET_KEY_BYTES)
    throw new SecretBoxError(`The secret key must be ${SECRET_KEY_BYTES} bytes`);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, tag, ciphertext] = sealed.split('.');
      if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined)
        throw new SecretBoxError('Not a sealed value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretBoxError(
          'A sealed value cannot be opened: the secret key (LOCKSTEP_SECRET_KEY or <data dir>/secret.key) is not the one it was sealed with',
        );
      }
    },
  };
}
