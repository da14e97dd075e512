import type { GroupRecord } from '../src/directory/group-repository.ts';
import type { UserRecord } from '../src/directory/user-repository.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../src/scim/schema/schema-urns.ts';

/**
 * The benchmark's directory as pure functions of a number: user n (1-based) and group g are the same
 * in every run, so the load phase can pick a random user from `n` alone instead of holding a million ids.
 * Documents are built directly in the canonical stored layout (`ScimDocument`: `schemas` first, core
 * attributes, then the extension), which `assertCanonicalSample` checks against `normalizeResource`.
 */

const GIVEN_NAMES = ['Barbara', 'Ahmed', 'Mei', 'Olu', 'Jonas', 'Priya', 'Lucía', 'Sven', 'Aiko', 'Noah'];
const FAMILY_NAMES = [
  'Jensen',
  'Okafor',
  'Tanaka',
  'García',
  'Müller',
  'Smith',
  'Nguyen',
  'Kowalski',
  'Rossi',
];
const TITLES = ['Engineer', 'Senior Engineer', 'Analyst', 'Designer', 'Manager', 'Director', 'Accountant'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Marketing', 'Support', 'Legal', 'Operations'];
const SEED_EPOCH_MS = Date.UTC(2024, 0, 1);

/** Members per group; the groups' members are spread over the whole user range. */
export const MEMBERS_PER_GROUP = 10;

/** murmur3's fmix32: a bijection on 32-bit integers, so distinct inputs give distinct outputs. */
function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const hex = (value: number, digits: number) =>
  value
    .toString(16)
    .padStart(8, '0')
    .slice(8 - digits);

/**
 * A random-looking, version-4-shaped UUID that is a function of `n` (unique for n < 2^32 since its
 * first 8 digits are a bijection of n). `variant` keeps user and group ids apart.
 */
function deterministicUuid(n: number, variant: '8' | '9'): string {
  const a = mix32(n);
  const b = mix32(n ^ 0x5bd1e995);
  const c = mix32(n ^ 0x27d4eb2f);
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b, 3)}-${variant}${hex(c >>> 20, 3)}-${hex(c, 4)}${hex(mix32(c), 8)}`;
}

export const benchUserId = (n: number): string => deterministicUuid(n, '8');
export const benchGroupId = (g: number): string => deterministicUuid(g, '9');
export const benchUserName = (n: number): string => `user${n}@example.com`;

/** User n's document in canonical form; also a valid POST body (it carries `schemas`). */
export function buildUserDocument(n: number): Record<string, unknown> {
  const givenName = GIVEN_NAMES[n % GIVEN_NAMES.length] ?? 'Pat';
  const familyName = FAMILY_NAMES[Math.floor(n / GIVEN_NAMES.length) % FAMILY_NAMES.length] ?? 'Doe';
  const userName = benchUserName(n);
  const manager = Math.max(1, Math.floor(n / 10));
  const enterprise: Record<string, unknown> = {
    employeeNumber: String(100000 + n),
    department: DEPARTMENTS[n % DEPARTMENTS.length],
  };
  if (manager !== n) enterprise.manager = { value: benchUserId(manager) };
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    externalId: `ext-${n}`,
    userName,
    name: { formatted: `${givenName} ${familyName}`, familyName, givenName },
    displayName: `${givenName} ${familyName}`,
    title: TITLES[n % TITLES.length],
    active: true,
    emails: [{ value: userName, type: 'work', primary: true }],
    [ENTERPRISE_USER_SCHEMA]: enterprise,
  };
}

/** When user n was created: one second apart from a fixed epoch. */
const seedTimestamp = (n: number) => new Date(SEED_EPOCH_MS + n * 1000).toISOString();

export function buildUserRecord(n: number): UserRecord {
  const timestamp = seedTimestamp(n);
  return {
    id: benchUserId(n),
    createdAt: timestamp,
    lastModified: timestamp,
    version: 1,
    doc: buildUserDocument(n),
    passwordHash: null,
  };
}

/** Group g's document in canonical form (members are rows of their own, see `groupMemberNumbers`). */
export function buildGroupDocument(g: number): Record<string, unknown> {
  return { schemas: [GROUP_SCHEMA], displayName: `Group ${g}`, externalId: `gext-${g}` };
}

export function buildGroupRecord(g: number): GroupRecord {
  const timestamp = seedTimestamp(g);
  return {
    id: benchGroupId(g),
    createdAt: timestamp,
    lastModified: timestamp,
    version: 1,
    doc: buildGroupDocument(g),
  };
}

/** The user numbers of group g's members: a deterministic spread over 1..users (distinct when users ≥ 10). */
export function groupMemberNumbers(g: number, users: number): number[] {
  const stride = Math.max(1, Math.floor(users / MEMBERS_PER_GROUP));
  const members = new Set<number>();
  for (let k = 0; k < MEMBERS_PER_GROUP; k++) members.add(((mix32(g) + k * stride) % users) + 1);
  return [...members];
}
