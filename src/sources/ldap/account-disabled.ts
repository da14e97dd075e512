/** userAccountControl's ACCOUNTDISABLE flag. @see https://learn.microsoft.com/en-us/troubleshoot/windows-server/active-directory/useraccountcontrol-manipulate-account-properties */
export const AD_ACCOUNT_DISABLED_FLAG = 0x2;

/**
 * Whether Active Directory's `userAccountControl` (a decimal string as LDAP returns it, e.g. `514`)
 * marks the account disabled. Undefined when the value is missing or not a number (the caller keeps
 * whatever it knew instead of guessing).
 */
export function isAdAccountDisabled(userAccountControl: string | number | undefined): boolean | undefined {
  if (userAccountControl === undefined) return undefined;
  const text = String(userAccountControl).trim();
  if (!/^-?\d+$/.test(text)) return undefined;
  // The attribute is a signed 32-bit integer; bitwise AND works on that range.
  return (Number(text) & AD_ACCOUNT_DISABLED_FLAG) !== 0;
}
