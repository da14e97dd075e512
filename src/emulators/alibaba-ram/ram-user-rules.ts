/**
 * What RAM accepts as a user's name and display name.
 *
 * - userName is RAM's UserName: 1–64 letters, digits, `.`, `-`, `_` (RAM API CreateUser). The logon
 *   name is `<userName>@<default domain>`; the SCIM guide's examples send the bare name and the Okta
 *   guide sets Okta's "Application username format" to "Okta username prefix" (RAM then shows the
 *   name under its own domain), so a userName with `@` is refused. *unverified*: whether RAM would
 *   accept `name@<its default domain>` and strip the suffix.
 * - displayName: 1–128 characters (RAM API CreateUser, ROS `ALIYUN::RAM::User`). The newer IMS
 *   CreateUser says 1–24: the limit is an option (`displayNameMaxLength`), and *unverified*.
 */
export const RAM_USER_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const DEFAULT_DISPLAY_NAME_MAX_LENGTH = 128;

/** Why `value` is not a RAM user name, or undefined when it is one. */
export function explainInvalidUserName(value: string): string | undefined {
  if (RAM_USER_NAME_PATTERN.test(value)) return undefined;
  if (value.length === 0 || value.length > 64) {
    return `userName must be 1 to 64 characters long (got ${value.length})`;
  }
  if (value.includes('@')) {
    return `userName "${value}" contains "@": send the RAM user name without a domain (the logon name is <userName>@<default domain>)`;
  }
  return `userName "${value}" may contain only letters, digits, ".", "-" and "_"`;
}

/** Why `value` is not a RAM display name, or undefined when it is one. */
export function explainInvalidDisplayName(value: string, maxLength: number): string | undefined {
  const length = [...value].length;
  if (length === 0 || length > maxLength) {
    return `displayName must be 1 to ${maxLength} characters long (got ${length})`;
  }
  return undefined;
}

/** RAM user names are case-insensitive: `Alice` and `alice` are one user. */
export function foldUserName(userName: string): string {
  return userName.toLowerCase();
}
