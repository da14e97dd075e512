import type { RamUserAttributes } from './ram-directory.ts';
import { explainInvalidDisplayName, explainInvalidUserName } from './ram-user-rules.ts';
import { RamScimError } from './scim-error-reply.ts';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

export interface ScimUserBodyOptions {
  displayNameMaxLength: number;
  /**
   * `reject` (default): an attribute RAM does not have (emails, name, phoneNumbers, an extension)
   * is 400, so a client cannot believe RAM stored it. `ignore`: dropped silently. RAM's behaviour
   * is *unverified*; its guides have clients map only userName, displayName and externalId (the Okta
   * guide has the admin delete every other mapping; IDaaS: "mobile and e-mail cannot be mapped").
   */
  unknownAttributes: 'reject' | 'ignore';
}

/** Attributes a client may send back from a GET; RAM sets them itself (RFC 7644 §3.5.1). */
const READ_ONLY = new Set(['id', 'meta']);
/**
 * RAM users have no enabled/disabled state: "the state change cannot be synchronized to the RAM
 * console because a RAM user does not support the enabled or disabled state" (Okta guide). Okta
 * always sends `active`; RAM accepts it and changes nothing.
 */
const IGNORED = new Set(['active']);
const WRITABLE = new Set(['schemas', 'username', 'displayname', 'externalid']);

/**
 * The RAM attributes of a POST or PUT body, or a 400 naming the first problem. Attribute names are
 * case-insensitive (RFC 7643 §2.1); `null` means absent. displayName is required: *unverified*, but
 * IDaaS's default RAM mapping `Coalesce(displayName, username)` exists to never send it empty.
 * @see RFC 7644 §3.3, §3.5.1
 */
export function parseScimUserBody(body: unknown, options: ScimUserBodyOptions): RamUserAttributes {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RamScimError(400, 'The request body must be a JSON object (a SCIM User)', 'invalidSyntax');
  }
  const values = new Map<string, unknown>();
  for (const [name, value] of Object.entries(body)) {
    const key = name.toLowerCase();
    if (values.has(key)) {
      throw new RamScimError(
        400,
        `The attribute "${name}" appears twice (names are case-insensitive)`,
        'invalidSyntax',
      );
    }
    if (READ_ONLY.has(key) || IGNORED.has(key)) continue;
    if (!WRITABLE.has(key)) {
      if (options.unknownAttributes === 'ignore') continue;
      throw new RamScimError(
        400,
        `RAM does not support the attribute "${name}": a RAM user has only userName, displayName and externalId`,
        'invalidSyntax',
      );
    }
    values.set(key, value);
  }
  const schemas = values.get('schemas');
  if (
    !Array.isArray(schemas) ||
    !schemas.some((urn) => typeof urn === 'string' && urn.toLowerCase() === USER_SCHEMA.toLowerCase())
  ) {
    throw new RamScimError(400, `"schemas" must list ${USER_SCHEMA}`, 'invalidSyntax');
  }
  const userName = requireString(values.get('username'), 'userName');
  const userNameProblem = explainInvalidUserName(userName);
  if (userNameProblem !== undefined) throw new RamScimError(400, userNameProblem, 'invalidValue');
  const displayName = requireString(values.get('displayname'), 'displayName');
  const displayNameProblem = explainInvalidDisplayName(displayName, options.displayNameMaxLength);
  if (displayNameProblem !== undefined) throw new RamScimError(400, displayNameProblem, 'invalidValue');
  const externalId = values.get('externalid');
  if (externalId === undefined || externalId === null) return { userName, displayName };
  if (typeof externalId !== 'string' || externalId.length === 0) {
    throw new RamScimError(400, 'externalId must be a non-empty string', 'invalidValue');
  }
  return { userName, displayName, externalId };
}

function requireString(value: unknown, name: string): string {
  if (value === undefined || value === null)
    throw new RamScimError(400, `${name} is required`, 'invalidValue');
  if (typeof value !== 'string') throw new RamScimError(400, `${name} must be a string`, 'invalidValue');
  return value;
}
