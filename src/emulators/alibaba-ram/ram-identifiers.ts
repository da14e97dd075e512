import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A string of `length` decimal digits not starting with 0. */
export function generateDigits(length: number): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < length) digits += String(randomInt(0, 10));
  return digits;
}

export function generateAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return text;
}

/** RAM UserIds are 16 digits (`122748924538****` in the API reference). */
export function generateRamUserId(): string {
  return generateDigits(16);
}

/** RAM AccessKey ids: `LTAI` and 20 letters and digits. */
export function generateAccessKeyId(): string {
  return `LTAI${generateAlphanumeric(20)}`;
}

/** OAuth application ids are numeric (`463790568674183****` in the SCIM guide): 19 digits. */
export function generateOauthClientId(): string {
  return generateDigits(19);
}

/** AppSecretValue: shown once by RAM; here 64 letters and digits. */
export function generateOauthClientSecret(): string {
  return generateAlphanumeric(64);
}
