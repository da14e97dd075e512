import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SECRET_KEY_BYTES, SecretBoxError } from './secret-box.ts';

/**
 * The service's secret key: from LOCKSTEP_SECRET_KEY (base64, 32 bytes) when set, else from a key file
 * that is created on first start with owner-only permissions. Several processes on different machines
 * must share the variable; processes sharing a data directory share the file.
 */
export function loadSecretKey(source: {
  readonly value?: string | undefined;
  readonly file: string;
}): Buffer {
  if (source.value !== undefined) return decode(source.value, 'LOCKSTEP_SECRET_KEY');
  try {
    return decode(readFileSync(source.file, 'utf8').trim(), source.file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(source.file), { recursive: true });
  const key = randomBytes(SECRET_KEY_BYTES);
  try {
    writeFileSync(source.file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return decode(readFileSync(source.file, 'utf8').trim(), source.file);
    throw error;
  }
}

function decode(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== SECRET_KEY_BYTES)
    throw new SecretBoxError(
      `${where} must hold ${SECRET_KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`)`,
    );
  return key;
}
