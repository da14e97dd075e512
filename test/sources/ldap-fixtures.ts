import { SLAPD_SUFFIX } from '../support/slapd.ts';

/** The bind account the reader uses: not the root DN, so the server's size limit applies to it. */
export const READER_DN = `cn=reader,${SLAPD_SUFFIX}`;
export const READER_PASSWORD = 'Rd-S3cr3t-pa55-Zq7';

export const PEOPLE_DN = `ou=People,${SLAPD_SUFFIX}`;
export const GROUPS_DN = `ou=Groups,${SLAPD_SUFFIX}`;
export const CONTRACTORS_DN = `ou=Contractors,${SLAPD_SUFFIX}`;
export const EMPTY_DN = `ou=Empty,${SLAPD_SUFFIX}`;

export interface DirectoryShape {
  readonly engineers: number;
  readonly sales: number;
  readonly contractors: number;
}

const organizationalUnit = (dn: string, ou: string) =>
  `dn: ${dn}\nobjectClass: organizationalUnit\nou: ${ou}\n`;

export const personLdif = (uid: string, parentDn: string) =>
  `dn: uid=${uid},${parentDn}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: User ${uid}\nsn: ${uid}\n` +
  `mail: ${uid}@example.test\n`;

export const userDn = (uid: string, parentDn: string) => `uid=${uid},${parentDn}`;
export const engineerUid = (index: number) => `eng${String(index).padStart(5, '0')}`;
export const salesUid = (index: number) => `sales${String(index).padStart(5, '0')}`;

/**
 * The test directory: People/Eng and People/Sales (inetOrgPerson), Contractors with one nested OU,
 * Groups with two groups that nest each other (a cycle) and a third nested in one, an empty OU, one
 * user whose RDN has an escaped comma, and the reader account.
 */
export function buildDirectoryLdif(shape: DirectoryShape): string {
  const eng = `ou=Eng,${PEOPLE_DN}`;
  const sales = `ou=Sales,${PEOPLE_DN}`;
  const parts = [
    `dn: ${SLAPD_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n`,
    `dn: ${READER_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: reader\n` +
      `userPassword: ${READER_PASSWORD}\n`,
    organizationalUnit(PEOPLE_DN, 'People'),
    organizationalUnit(eng, 'Eng'),
    organizationalUnit(sales, 'Sales'),
    organizationalUnit(CONTRACTORS_DN, 'Contractors'),
    organizationalUnit(`ou=Nested,${CONTRACTORS_DN}`, 'Nested'),
    organizationalUnit(GROUPS_DN, 'Groups'),
    organizationalUnit(EMPTY_DN, 'Empty'),
  ];
  for (let index = 0; index < shape.engineers; index++) parts.push(personLdif(engineerUid(index), eng));
  for (let index = 0; index < shape.sales; index++) parts.push(personLdif(salesUid(index), sales));
  for (let index = 0; index < shape.contractors; index++)
    parts.push(personLdif(`contractor${index}`, CONTRACTORS_DN));
  parts.push(personLdif('deep-contractor', `ou=Nested,${CONTRACTORS_DN}`));
  parts.push(
    `dn: cn=Smith\\, John,${eng}\nobjectClass: inetOrgPerson\ncn: Smith, John\nsn: Smith\nuid: jsmith\n`,
    // leads ∋ eng00000, eng00001, platform; platform ∋ eng00002, leads (a cycle)
    `dn: cn=leads,${GROUPS_DN}\nobjectClass: groupOfNames\ncn: leads\n` +
      `member: ${userDn(engineerUid(0), eng)}\nmember: ${userDn(engineerUid(1), eng)}\n` +
      `member: cn=platform,${GROUPS_DN}\n`,
    `dn: cn=platform,${GROUPS_DN}\nobjectClass: groupOfNames\ncn: platform\n` +
      `member: ${userDn(engineerUid(2), eng)}\nmember: cn=leads,${GROUPS_DN}\n`,
    `dn: cn=sales,${GROUPS_DN}\nobjectClass: groupOfNames\ncn: sales\nmember: ${userDn(salesUid(0), sales)}\n`,
  );
  return parts.join('\n');
}
