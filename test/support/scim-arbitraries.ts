/**
 * fast-check arbitraries for property tests that hold two filter implementations (the in-memory
 * evaluator and a SQL compiler) to the same answers. Values come from small vocabularies that mix
 * case and a few letters whose case mapping is unusual (`İ`, final `ς`, `ı`), so that generated
 * filters match generated users often and case folding is exercised.
 */
import fc from 'fast-check';
import { foldCase } from '../../src/scim/filter/compare-values.ts';
import type { AttributePath, CompareOperator, Filter } from '../../src/scim/filter/filter-ast.ts';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';

const LETTERS = ['a', 'A', 'ä', 'Ä', 'i', 'I', 'İ', 'ı', 'σ', 'Σ', 'ς', 'é', 'É'] as const;
const DOMAINS = ['example.com', 'EXAMPLE.com', 'exämple.org'] as const;
const EMAIL_TYPES = ['work', 'home', 'other'] as const;
const PHONE_TYPES = ['work', 'home', 'mobile'] as const;
const PHONE_NUMBERS = ['+1 555 0100', '555-0100', '+49 30 1234'] as const;

/** Instants stored in `meta.created` / `meta.lastModified`, canonical as the server writes them. */
const INSTANTS = [
  '2011-05-13T04:42:34.000Z',
  '2011-05-13T04:42:34.001Z',
  '2020-01-01T00:00:00.000Z',
  '2024-02-29T23:30:00.000Z',
] as const;

const STRING_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const ORDER_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

/** 1–`max` letters from the shared vocabulary. */
function wordArbitrary(max: number): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: max })
    .map((letters) => letters.join(''));
}

const emailArbitrary = fc
  .tuple(wordArbitrary(3), fc.constantFrom(...DOMAINS))
  .map(([local, domain]) => `${local}@${domain}`);

/** Exactly one of `INSTANTS`, possibly shifted a little, written in any xsd:dateTime form. */
const dateTimeLiteralArbitrary = fc
  .tuple(
    fc.constantFrom(...INSTANTS),
    fc.constantFrom(0, 0, -1, 1, -1000, 3_600_000),
    fc.constantFrom(0, 60, -300, 330, 840, -840),
    fc.constantFrom('', '0', '000', '0000000'),
    fc.boolean(),
  )
  .map(([instant, shift, offsetMinutes, padding, zulu]) =>
    formatDateTime(Date.parse(instant) + shift, zulu ? 0 : offsetMinutes, padding, zulu),
  );

function formatDateTime(time: number, offsetMinutes: number, padding: string, zulu: boolean): string {
  const local = new Date(time + offsetMinutes * 60_000).toISOString();
  const milliseconds = local.slice(20, 23);
  const fraction = milliseconds === '000' && padding === '' ? '' : `.${milliseconds}${padding}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  const minutes = String(absolute % 60).padStart(2, '0');
  const zone = zulu ? 'Z' : `${sign}${hours}:${minutes}`;
  return `${local.slice(0, 19)}${fraction}${zone}`;
}

// ---------------------------------------------------------------------------------------------
// Users

const emailsArbitrary = fc
  .array(fc.record({ value: emailArbitrary, type: fc.constantFrom(...EMAIL_TYPES) }), { maxLength: 3 })
  .chain((emails) =>
    fc
      .tuple(fc.integer({ min: -1, max: emails.length - 1 }), fc.boolean())
      .map(([primaryIndex, spellFalse]) =>
        emails.map((email, index) => {
          if (index === primaryIndex) return { ...email, primary: true };
          return spellFalse ? { ...email, primary: false } : email;
        }),
      ),
  );

const phoneNumbersArbitrary = fc.array(
  fc.record({ value: fc.constantFrom(...PHONE_NUMBERS), type: fc.constantFrom(...PHONE_TYPES) }),
  { maxLength: 2 },
);

const enterpriseArbitrary = fc.record(
  {
    employeeNumber: fc.oneof(wordArbitrary(2), fc.constantFrom('42', '042', '7')),
    department: wordArbitrary(3),
    manager: fc.record({ value: wordArbitrary(2) }),
  },
  { requiredKeys: [] },
);

const metaArbitrary = fc
  .tuple(fc.constantFrom(...INSTANTS), fc.constantFrom(...INSTANTS))
  .map(([a, b]) => (a <= b ? [a, b] : [b, a]))
  .map(([created, lastModified]) => ({ resourceType: 'User', created, lastModified }));

/**
 * Valid, canonical User resources (as stored and returned): every string non-empty, no nulls,
 * at most one primary email, the Enterprise extension under its URN with `schemas` listing it.
 */
export const userResourceArbitrary: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      id: fc.uuid(),
      userName: wordArbitrary(3),
      externalId: wordArbitrary(2),
      displayName: wordArbitrary(3),
      name: fc.record({ givenName: wordArbitrary(3), familyName: wordArbitrary(3) }, { requiredKeys: [] }),
      title: wordArbitrary(2),
      active: fc.boolean(),
      emails: emailsArbitrary,
      phoneNumbers: phoneNumbersArbitrary,
      enterprise: enterpriseArbitrary,
      meta: metaArbitrary,
    },
    { requiredKeys: ['id', 'userName', 'meta'] },
  )
  .map(({ enterprise, ...core }) => {
    const user: Record<string, unknown> = { schemas: [USER_SCHEMA] };
    for (const [key, value] of Object.entries(core)) {
      const empty = (Array.isArray(value) && value.length === 0) || isEmptyObject(value);
      if (!empty) user[key] = value;
    }
    if (enterprise !== undefined && !isEmptyObject(enterprise)) {
      user.schemas = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA];
      user[ENTERPRISE_USER_SCHEMA] = enterprise;
    }
    return user;
  });

/**
 * 1–`maxLength` users that could coexist in one store: distinct ids, and userNames distinct after
 * case folding (userName is unique and not caseExact, RFC 7643 §4.1.1).
 */
export function userResourcesArbitrary(maxLength = 6): fc.Arbitrary<Record<string, unknown>[]> {
  return fc.uniqueArray(userResourceArbitrary, {
    minLength: 1,
    maxLength,
    comparator: (a, b) => a.id === b.id || foldCase(String(a.userName)) === foldCase(String(b.userName)),
  });
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

// ---------------------------------------------------------------------------------------------
// Filters

type Literal = string | boolean;

/** A filterable attribute of the generated users: canonical path, type, and literals that fit it. */
interface Target {
  readonly path: AttributePath;
  readonly type: 'string' | 'boolean' | 'dateTime' | 'complex';
  readonly literal?: fc.Arbitrary<Literal>;
}

const wordLiteral = wordArbitrary(2);
const emailLiteral = fc.oneof(wordLiteral, emailArbitrary, fc.constantFrom('@', ...DOMAINS, '@EXAMPLE.COM'));
const typeLiteral = (types: readonly string[]): fc.Arbitrary<string> =>
  fc.constantFrom(...types, 'WORK', 'Home', 'w', 'k');

const CORE_TARGETS: readonly Target[] = [
  { path: { name: 'userName' }, type: 'string', literal: wordLiteral },
  { path: { name: 'externalId' }, type: 'string', literal: wordLiteral },
  { path: { name: 'displayName' }, type: 'string', literal: wordLiteral },
  { path: { name: 'title' }, type: 'string', literal: wordLiteral },
  { path: { name: 'name', sub: 'givenName' }, type: 'string', literal: wordLiteral },
  { path: { name: 'name', sub: 'familyName' }, type: 'string', literal: wordLiteral },
  { path: { name: 'name' }, type: 'complex' },
  { path: { name: 'active' }, type: 'boolean', literal: fc.boolean() },
  { path: { name: 'emails' }, type: 'string', literal: emailLiteral },
  { path: { name: 'emails', sub: 'value' }, type: 'string', literal: emailLiteral },
  { path: { name: 'emails', sub: 'type' }, type: 'string', literal: typeLiteral(EMAIL_TYPES) },
  { path: { name: 'emails', sub: 'primary' }, type: 'boolean', literal: fc.boolean() },
  { path: { name: 'phoneNumbers' }, type: 'string', literal: fc.constantFrom(...PHONE_NUMBERS, '555', '+') },
  { path: { name: 'phoneNumbers', sub: 'type' }, type: 'string', literal: typeLiteral(PHONE_TYPES) },
];

const COMMON_TARGETS: readonly Target[] = [
  { path: { name: 'meta', sub: 'lastModified' }, type: 'dateTime', literal: dateTimeLiteralArbitrary },
  { path: { name: 'meta', sub: 'created' }, type: 'dateTime', literal: dateTimeLiteralArbitrary },
  { path: { name: 'meta' }, type: 'complex' },
];

const ENTERPRISE_TARGETS: readonly Target[] = [
  {
    path: { name: 'employeeNumber' },
    type: 'string',
    literal: fc.oneof(wordLiteral, fc.constantFrom('4', '42')),
  },
  { path: { name: 'department' }, type: 'string', literal: wordLiteral },
  { path: { name: 'manager', sub: 'value' }, type: 'string', literal: wordLiteral },
  { path: { name: 'manager' }, type: 'string', literal: wordLiteral },
];

const ELEMENT_TARGETS: Readonly<Record<'emails' | 'phoneNumbers', readonly Target[]>> = {
  emails: [
    { path: { name: 'value' }, type: 'string', literal: emailLiteral },
    { path: { name: 'type' }, type: 'string', literal: typeLiteral(EMAIL_TYPES) },
    { path: { name: 'primary' }, type: 'boolean', literal: fc.boolean() },
  ],
  phoneNumbers: [
    { path: { name: 'value' }, type: 'string', literal: fc.constantFrom(...PHONE_NUMBERS, '555', '+49') },
    { path: { name: 'type' }, type: 'string', literal: typeLiteral(PHONE_TYPES) },
  ],
};

/** Each letter upper- or lower-cased at random: names and URNs are case-insensitive. */
function caseVariantArbitrary(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(text),
    fc
      .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
      .map((upper) =>
        [...text].map((char, index) => (upper[index] ? char.toUpperCase() : char.toLowerCase())).join(''),
      ),
  );
}

function writtenPathArbitrary(
  path: AttributePath,
  uri: fc.Arbitrary<string | undefined>,
): fc.Arbitrary<AttributePath> {
  return fc
    .tuple(
      uri,
      caseVariantArbitrary(path.name),
      path.sub === undefined ? fc.constant(undefined) : caseVariantArbitrary(path.sub),
    )
    .map(([writtenUri, name, sub]) => ({
      ...(writtenUri === undefined ? {} : { uri: writtenUri }),
      name,
      ...(sub === undefined ? {} : { sub }),
    }));
}

function leafArbitrary(target: Target, uri: fc.Arbitrary<string | undefined>): fc.Arbitrary<Filter> {
  const path = writtenPathArbitrary(target.path, uri);
  const leaves: fc.Arbitrary<Filter>[] = [
    path.map((p): Filter => ({ kind: 'present', path: p })),
    fc
      .tuple(path, fc.constantFrom<CompareOperator>('eq', 'ne'))
      .map(([p, op]): Filter => ({ kind: 'compare', path: p, op, value: null })),
  ];
  if (target.literal === undefined) return fc.oneof(...leaves);
  const operators =
    target.type === 'boolean'
      ? (['eq', 'ne'] as const)
      : target.type === 'dateTime'
        ? ORDER_OPERATORS
        : STRING_OPERATORS;
  const comparison = fc
    .tuple(path, fc.constantFrom(...operators), target.literal)
    .map(([p, op, value]): Filter => ({ kind: 'compare', path: p, op, value }));
  return fc.oneof(...leaves, { arbitrary: comparison, weight: 4 });
}

const coreUri = fc.constantFrom<string | undefined>(
  undefined,
  undefined,
  USER_SCHEMA,
  USER_SCHEMA.toUpperCase(),
);
const enterpriseUri = fc.oneof(
  fc.constant(ENTERPRISE_USER_SCHEMA),
  caseVariantArbitrary(ENTERPRISE_USER_SCHEMA),
);

const topLevelLeafArbitrary = fc.oneof(
  ...CORE_TARGETS.map((target) => leafArbitrary(target, coreUri)),
  ...COMMON_TARGETS.map((target) => leafArbitrary(target, fc.constant(undefined))),
  ...ENTERPRISE_TARGETS.map((target) => leafArbitrary(target, enterpriseUri)),
);

function logicArbitrary(
  leaf: fc.Arbitrary<Filter>,
  extra: readonly fc.Arbitrary<Filter>[] = [],
): fc.Arbitrary<Filter> {
  return fc.letrec<{ filter: Filter }>((tie) => ({
    filter: fc.oneof(
      { maxDepth: 4, depthSize: 'small', withCrossShrink: true },
      leaf,
      ...extra,
      fc.tuple(tie('filter'), tie('filter')).map(([left, right]): Filter => ({ kind: 'and', left, right })),
      fc.tuple(tie('filter'), tie('filter')).map(([left, right]): Filter => ({ kind: 'or', left, right })),
      tie('filter').map((filter): Filter => ({ kind: 'not', filter })),
    ),
  })).filter;
}

/** An element filter over the sub-attributes of `emails` or `phoneNumbers`, names as written. */
function elementFilterArbitrary(parent: 'emails' | 'phoneNumbers'): fc.Arbitrary<Filter> {
  const bare = fc.constant<string | undefined>(undefined);
  return logicArbitrary(fc.oneof(...ELEMENT_TARGETS[parent].map((target) => leafArbitrary(target, bare))));
}

const valuePathArbitrary = fc.oneof(
  ...(['emails', 'phoneNumbers'] as const).map((parent) =>
    fc
      .tuple(writtenPathArbitrary({ name: parent }, coreUri), elementFilterArbitrary(parent))
      .map(([path, filter]): Filter => ({ kind: 'valuePath', path, filter })),
  ),
);

/**
 * Parsed-but-unresolved User filters that `resolveFilter` accepts: every operator, `and`/`or`/
 * `not`, value paths over emails and phone numbers, URN-qualified core and Enterprise paths,
 * attribute names in random case, `eq null`/`ne null`/`pr`, and `meta` dateTime comparisons with
 * literals in assorted xsd:dateTime spellings.
 */
export const userFilterArbitrary: fc.Arbitrary<Filter> = logicArbitrary(topLevelLeafArbitrary, [
  valuePathArbitrary,
]);
