/**
 * Whatever JSON a client sends, validation and PATCH only ever throw ScimError (never a TypeError),
 * and a PATCH result is always a document that a PUT would store unchanged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../errors.ts';
import { normalizeResource } from '../resource/normalize-resource.ts';
import type { ScimDocument } from '../resource/scim-document.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';
import { applyPatchOperations } from './apply-patch-operations.ts';
import { parsePatchRequest } from './parse-patch-request.ts';
import { planMemberPatch } from './plan-member-patch.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');
const RUNS = { numRuns: 1000 };

const NAMES = [
  'schemas',
  'userName',
  'USERNAME',
  'name',
  'givenName',
  'familyName',
  'emails',
  'value',
  'Value',
  'type',
  'primary',
  'display',
  'active',
  'id',
  'meta',
  'created',
  'groups',
  'members',
  'password',
  'displayName',
  'nickName',
  'addresses',
  'streetAddress',
  'phoneNumbers',
  'x509Certificates',
  'manager',
  'employeeNumber',
  '$ref',
  'title',
  'name.givenName',
  'Operations',
  'op',
  'path',
  '__proto__',
  'constructor',
  '',
  ENTERPRISE_USER_SCHEMA,
  `${ENTERPRISE_USER_SCHEMA}:manager`,
  `${ENTERPRISE_USER_SCHEMA}:employeeNumber`,
  `${USER_SCHEMA}:userName`,
  `${GROUP_SCHEMA}:members`,
  USER_SCHEMA,
  GROUP_SCHEMA,
];
const LEAVES = [
  null,
  true,
  false,
  'True',
  'false',
  '',
  'work',
  'home',
  'User',
  'group',
  'Robot',
  0,
  1.5,
  -1,
  '2010-01-23T04:56:22Z',
  'TWFu',
  'u1',
  USER_SCHEMA,
  GROUP_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  PATCH_OP_SCHEMA,
];
const PATHS = [
  'emails[type eq "work"].value',
  'emails[type eq "work"]',
  'emails[primary eq true].primary',
  'emails',
  'emails.value',
  'members[value eq "u1"]',
  'members[type eq "Group"]',
  'members',
  'members[value eq "u1"].type',
  'name.givenName',
  'name',
  'userName',
  'displayName',
  'active',
  'id',
  'meta.created',
  'groups',
  'password',
  'addresses[type eq "work"].streetAddress',
  'phoneNumbers[type eq "mobile"].value',
  'x509Certificates',
  ENTERPRISE_USER_SCHEMA,
  `${ENTERPRISE_USER_SCHEMA}:manager`,
  `${ENTERPRISE_USER_SCHEMA}:manager.value`,
  'manager',
  'emails[nope eq 1]',
  'emails[type eq',
  'fooBar',
];

const key = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 6 }));
const leaf = fc.oneof(fc.constantFrom(...LEAVES), fc.string({ maxLength: 6 }), fc.integer(), fc.double());
const { value: jsonValue } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>(
  (tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  }),
);
/** Real JSON, as a body parser would hand it over (no undefined, NaN, or prototype tricks). */
const json = <T>(arbitrary: fc.Arbitrary<T>) =>
  arbitrary.map((value) => JSON.parse(JSON.stringify(value ?? null)) as unknown);

/** Values shaped like SCIM values, so that many operations get past validation. */
const plausibleLeaf = fc.constantFrom(
  'b@example.com',
  'work',
  'home',
  'Babs',
  'u1',
  'User',
  true,
  false,
  'True',
  null,
  '',
);
const plausibleObject = fc.dictionary(
  fc.constantFrom(
    'value',
    'type',
    'primary',
    'display',
    'givenName',
    'familyName',
    'streetAddress',
    'employeeNumber',
    'displayName',
    'active',
    'nickName',
    'name.givenName',
    `${ENTERPRISE_USER_SCHEMA}:employeeNumber`,
  ),
  plausibleLeaf,
  { maxKeys: 3 },
);
const plausible = fc.oneof(plausibleLeaf, plausibleObject, fc.array(plausibleObject, { maxLength: 3 }));

const schemas = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom([USER_SCHEMA], [USER_SCHEMA, ENTERPRISE_USER_SCHEMA], [GROUP_SCHEMA]),
  },
  { weight: 1, arbitrary: fc.subarray([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA, 'urn:x']) },
  { weight: 1, arbitrary: jsonValue },
);
const resourceBody = json(
  fc.oneof(
    { weight: 1, arbitrary: jsonValue },
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          schemas,
          fc.dictionary(key, fc.oneof(plausible, jsonValue), { maxKeys: 6 }),
          fc.constantFrom('bjensen', '', null, 7),
        )
        .map(([s, rest, userName]) => ({ userName, displayName: 'G', ...rest, schemas: s })),
    },
  ),
);
const operation = fc.record(
  {
    op: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom('add', 'Add', 'replace', 'Replace', 'remove', 'Remove') },
      { weight: 1, arbitrary: jsonValue },
    ),
    path: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...PATHS) },
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
      { weight: 1, arbitrary: jsonValue },
    ),
    value: fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: jsonValue }),
  },
  { requiredKeys: ['op'] },
);
const patchBody = json(
  fc.oneof(
    {
      weight: 9,
      arbitrary: fc
        .array(operation, { minLength: 1, maxLength: 3 })
        .map((Operations) => ({ schemas: [PATCH_OP_SCHEMA], Operations })),
    },
    { weight: 1, arbitrary: jsonValue },
  ),
);

/** Operations that are well formed, with valid-looking paths and values: they reach the semantics. */
const wellFormedPatch = fc
  .array(
    fc.oneof(
      fc.record({
        op: fc.constantFrom('add', 'replace', 'remove'),
        path: fc.constantFrom(...PATHS),
        value: plausible,
      }),
      fc.record({ op: fc.constantFrom('add', 'replace'), value: plausibleObject }),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((Operations) => JSON.parse(JSON.stringify({ schemas: [PATCH_OP_SCHEMA], Operations })) as unknown);

function onlyScimErrors(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    assert.equal(error.status, 400, error.message);
  }
}

const STORED_USER: ScimDocument = normalizeResource(
  USER,
  {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    userName: 'bjensen',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    emails: [
      { value: 'b@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '7', manager: { value: 'm1' } },
  },
  'create',
).doc;
const STORED_GROUP: ScimDocument = { schemas: [GROUP_SCHEMA], displayName: 'G', members: [{ value: 'u1' }] };

describe('client input fuzzing', () => {
  it('normalizeResource throws nothing but ScimError 400', () => {
    fc.assert(
      fc.property(
        resourceBody,
        fc.constantFrom(USER, GROUP),
        fc.constantFrom('create', 'replace'),
        (body, rt, mode) => onlyScimErrors(() => normalizeResource(rt, body, mode as 'create' | 'replace')),
      ),
      RUNS,
    );
  });

  it('parsePatchRequest, planMemberPatch and applyPatchOperations throw nothing but ScimError 400', () => {
    fc.assert(
      fc.property(fc.oneof(wellFormedPatch, patchBody), (body) =>
        onlyScimErrors(() => {
          const operations = parsePatchRequest(body);
          onlyScimErrors(() => applyPatchOperations(USER, STORED_USER, operations));
          onlyScimErrors(() =>
            applyPatchOperations(GROUP, STORED_GROUP, planMemberPatch(operations).otherOps),
          );
        }),
      ),
      RUNS,
    );
  });

  it('a PATCH result is a document that a PUT stores unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(wellFormedPatch, patchBody), (body) => {
        let result: ScimDocument;
        try {
          result = applyPatchOperations(USER, STORED_USER, parsePatchRequest(body));
        } catch (error) {
          if (error instanceof ScimError) return;
          throw error;
        }
        assert.deepEqual(normalizeResource(USER, result, 'replace').doc, result);
      }),
      RUNS,
    );
  });
});
