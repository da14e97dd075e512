import type { SourceMapping } from '../mapping/compile-source-mapping.ts';
import type { LdapDirectoryKind } from './ldap-connection-schema.ts';

const COMMON_USER_MAPPING: SourceMapping = {
  displayName: 'Coalesce(displayName, cn)',
  'name.givenName': 'givenName',
  'name.familyName': 'sn',
  'emails[type eq "work"].value': 'mail',
  title: 'title',
};

/**
 * The default user mapping per directory. AD's `active` comes from userAccountControl's
 * ACCOUNTDISABLE bit, read as the virtual attribute `accountDisabled`; OpenLDAP has no standard
 * disabled flag, so a source maps one (e.g. `active ← IIF(employeeType = "disabled", false, true)`).
 */
export function defaultLdapUserMapping(directory: LdapDirectoryKind): SourceMapping {
  return directory === 'active-directory'
    ? {
        userName: 'Coalesce(userPrincipalName, sAMAccountName)',
        ...COMMON_USER_MAPPING,
        active: 'Not(accountDisabled)',
      }
    : { userName: 'Coalesce(uid, mail, cn)', ...COMMON_USER_MAPPING };
}

export const DEFAULT_LDAP_GROUP_MAPPING: SourceMapping = { displayName: 'Coalesce(displayName, cn)' };
