import { relativeRdns } from './distinguished-name.ts';

/**
 * The org-unit path of the container an entry sits in, from the top down: the `ou` RDNs between
 * `baseDn` and the entry's own RDN. `uid=a,ou=Eng,ou=People,dc=example,dc=test` under
 * `dc=example,dc=test` → `['People', 'Eng']`. An OU entry's path is its parent's (its own name is
 * its RDN). Other containers (AD's `CN=Users`, `o=`, `l=`) are not org units and are skipped.
 * Undefined when the entry is not under `baseDn`.
 */
export function orgUnitPath(dn: string, baseDn: string): string[] | undefined {
  const rdns = relativeRdns(dn, baseDn);
  if (rdns === undefined) return undefined;
  const path: string[] = [];
  for (const rdn of rdns.slice(1).reverse()) {
    const ou = rdn.find((part) => part.type.toLowerCase() === 'ou' || part.type === '2.5.4.11');
    if (ou !== undefined) path.push(ou.value);
  }
  return path;
}
