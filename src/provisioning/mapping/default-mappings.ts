import type { TargetProfileName } from '../../targets/profiles/target-profile.ts';
import type { AttributeMapping, Mapping } from './attribute-mapping.ts';

/**
 * The mapping a new provisioning starts with, per target profile. Choices where the issue leaves
 * room:
 * - `externalId ← id` everywhere: the directory's id never changes, unlike userName or e-mail, so
 *   the target keeps a stable pointer back (Entra maps `mailNickname`, IDaaS the user id; RAM's
 *   default is IDaaS's, REFERENCE.md §7).
 * - `active ← active`: Lockstep's directory says disabled with `active: false`; soft-deleted users
 *   leave scope and the deprovision policy decides, so no IsSoftDeleted expression is needed.
 * - the manager is not mapped by default: its value is a directory id, and the target needs its own
 *   id for the manager, which only the engine (through links) knows.
 * - RAM stores only userName, displayName and externalId (§4); no e-mail, no active.
 */

const attribute = (target: string, path: string): AttributeMapping => ({
  target,
  source: { kind: 'attribute', path },
  apply: 'always',
});

const expression = (target: string, text: string): AttributeMapping => ({
  target,
  source: { kind: 'expression', text },
  apply: 'always',
});

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Entra's default "Provision users" mapping for a SCIM app, translated to Lockstep's source names. */
const FULL_SCIM_USER: readonly AttributeMapping[] = [
  attribute('userName', 'userName'),
  attribute('active', 'active'),
  attribute('displayName', 'displayName'),
  attribute('title', 'title'),
  attribute('emails[type eq "work"].value', 'mail'),
  attribute('preferredLanguage', 'preferredLanguage'),
  attribute('name.givenName', 'givenName'),
  attribute('name.familyName', 'surname'),
  expression(
    'name.formatted',
    'IIF(IsPresent([name.formatted]), [name.formatted], Join(" ", [givenName], [surname]))',
  ),
  attribute('phoneNumbers[type eq "work"].value', 'telephoneNumber'),
  attribute('phoneNumbers[type eq "mobile"].value', 'mobile'),
  attribute('externalId', 'id'),
  attribute(`${ENTERPRISE}:employeeNumber`, 'employeeId'),
  attribute(`${ENTERPRISE}:department`, 'department'),
  attribute(`${ENTERPRISE}:organization`, `${ENTERPRISE}:organization`),
  attribute(`${ENTERPRISE}:division`, `${ENTERPRISE}:division`),
  attribute(`${ENTERPRISE}:costCenter`, `${ENTERPRISE}:costCenter`),
];

const GROUP: readonly AttributeMapping[] = [
  attribute('displayName', 'displayName'),
  attribute('externalId', 'id'),
];

const DEFAULT_MAPPINGS: Readonly<Record<TargetProfileName, Mapping>> = {
  'generic-scim': { user: [...FULL_SCIM_USER], group: [...GROUP] },
  lockstep: { user: [...FULL_SCIM_USER], group: [...GROUP] },
  /** IDaaS's default to RAM (REFERENCE.md §7); RAM has no groups over SCIM. */
  'alibaba-ram': {
    user: [
      attribute('externalId', 'id'),
      // A RAM user name has no domain (the logon name is <userName>@<default domain>): send the part
      // before any "@" of the directory's userName (often a UPN or an e-mail address).
      expression('userName', 'Replace([userName], , "@.*$", , "", , )'),
      expression('displayName', 'Coalesce([displayName], [userName])'),
    ],
    group: [],
  },
  /** Identity Center needs userName, displayName, givenName and familyName; one e-mail. */
  'aws-identity-center': {
    user: [
      attribute('userName', 'userName'),
      expression('displayName', 'Coalesce([displayName], Join(" ", [givenName], [surname]), [userName])'),
      attribute('name.givenName', 'givenName'),
      attribute('name.familyName', 'surname'),
      attribute('emails[type eq "work"].value', 'mail'),
      attribute('active', 'active'),
      attribute('externalId', 'id'),
    ],
    group: [...GROUP],
  },
};

/** A fresh copy of the profile's default mapping (callers may edit it). */
export function defaultMapping(profile: TargetProfileName): Mapping {
  return structuredClone(DEFAULT_MAPPINGS[profile]);
}
