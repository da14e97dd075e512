/**
 * fast-check arbitraries for whole SCIM HTTP requests, for the no-500 fuzz. Three out of four
 * requests are coherent (a create, replace, PATCH, delete, read, list, search or Bulk with a body of
 * the right kind) whose parts are each now and then swapped for a wrong one; the rest are chaos:
 * any method on any path with any body. Values come from small pools mixing valid and invalid items,
 * so requests get past validation often enough to reach the store.
 */
import fc from 'fast-check';
import {
  BULK_REQUEST_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  SEARCH_REQUEST_SCHEMA,
  USER_SCHEMA,
} from '../../src/scim/schema/schema-urns.ts';

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly rawBody?: string;
}

/** Ids and ETags of resources that exist, so requests hit real rows as well as missing ones. */
export interface FuzzTargets {
  readonly userIds: readonly string[];
  readonly groupIds: readonly string[];
  readonly etags: readonly string[];
}

// biome-ignore format: vocabulary lists
const ATTRIBUTE_PATHS = [
  'userName', 'USERNAME', 'displayName', 'name.givenName', 'name', 'emails', 'emails.value', 'emails[type eq "work"]',
  'emails[type eq "work"].value', 'active', 'title', 'externalId', 'id', 'meta', 'meta.lastModified', 'groups', 'members',
  'members.value', 'members[type eq "Group"]', 'members.display', 'password', 'x509Certificates.value',
  `${ENTERPRISE_USER_SCHEMA}:employeeNumber`, `${ENTERPRISE_USER_SCHEMA}:manager.value`, `${USER_SCHEMA}:userName`, 'schemas',
  'shoeSize', 'name.middle', '', '[', 'emails[', 'a.b.c',
] as const;
const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'EQ', 'Pr', 'like'] as const;
const CONNECTORS = ['and', 'or', 'not', '(', ')', '[', ']', 'AND', 'Or'] as const;

/** Mostly `good`, sometimes `bad`. */
const goodOrBad = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: good as fc.Arbitrary<unknown>, weight: 5 }, { arbitrary: bad, weight: 1 });
const word = fc.string({ minLength: 1, maxLength: 6 });

export function scimArbitraries(targets: FuzzTargets) {
  const ids = [...targets.userIds, ...targets.groupIds];
  const id = fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 4 },
    fc.uuid(),
    fc.constantFrom('%00', '%', '.search', 'a'.repeat(600), '%2F'),
  );
  // biome-ignore format: vocabulary list
  const scalar = fc.oneof(
    fc.constantFrom<unknown>('x', '', 'work', 'User', 'Group', 'bjensen', 'BJENSEN', 'a\u0000b', '2011-05-13T04:42:34Z', 'yesterday',
      'bulkId:a', 'bulkId:b', 'True', 'false', 0, -1, 1.5, 2 ** 53 + 2, 1e308, true, false, null),
    fc.constantFrom(...ids), fc.string({ maxLength: 12 }), fc.integer(),
  );
  const anything = fc.oneof({ arbitrary: scalar, weight: 4 }, fc.jsonValue({ maxDepth: 2 }));

  const literal = scalar.map((value) => (typeof value === 'string' ? JSON.stringify(value) : String(value)));
  const comparison = fc
    .tuple(fc.constantFrom(...ATTRIBUTE_PATHS), fc.constantFrom(...OPERATORS), literal)
    .map(([path, op, value]) => (op.toLowerCase() === 'pr' ? `${path} ${op}` : `${path} ${op} ${value}`));
  const token = fc.oneof(
    { arbitrary: comparison, weight: 4 },
    { arbitrary: fc.constantFrom(...CONNECTORS), weight: 2 },
    literal,
  );
  const filter = fc.oneof(
    { arbitrary: comparison, weight: 3 },
    {
      arbitrary: fc.array(token, { minLength: 1, maxLength: 6 }).map((tokens) => tokens.join(' ')),
      weight: 3,
    },
    fc.string({ maxLength: 30 }),
  );
  const queryValue = fc.oneof(
    filter,
    fc.constantFrom(
      'userName',
      'ascending',
      'descending',
      'up',
      '1',
      '0',
      '-5',
      '2.5',
      '1e400',
      '9007199254740993',
      'emails.value,id',
      '',
    ),
    fc.constantFrom(...ATTRIBUTE_PATHS),
  );
  const parameter = fc.constantFrom(
    'filter',
    'sortBy',
    'sortOrder',
    'startIndex',
    'count',
    'attributes',
    'excludedAttributes',
    'foo',
  );
  const query = fc
    .array(
      fc.oneof(
        {
          arbitrary: fc
            .tuple(parameter, queryValue)
            .map(([key, value]) => `${key}=${encodeURIComponent(value)}`),
          weight: 5,
        },
        fc.constantFrom('filter=%', 'count=%zz', 'filter', '=x', 'attributes=%00', '&&'),
      ),
      { maxLength: 4 },
    )
    .map((parts) => (parts.length === 0 ? '' : `?${parts.join('&')}`));

  const member = fc.record(
    {
      value: goodOrBad(fc.constantFrom(...ids), scalar),
      type: fc.constantFrom('User', 'Group', 'user', 'Robot'),
    },
    { requiredKeys: ['value'] },
  );
  const email = fc.record(
    {
      value: word.map((local) => `${local}@example.com`),
      type: fc.constantFrom('work', 'home'),
      primary: fc.boolean(),
    },
    { requiredKeys: ['value'] },
  );
  const wrongBits = fc.record(
    { id: scalar, meta: anything, groups: anything, unknownThing: scalar, password: scalar },
    { requiredKeys: [] },
  );
  const withWrongBits = <T extends object>(resource: fc.Arbitrary<T>) =>
    fc
      .tuple(resource, fc.option(wrongBits, { nil: undefined, freq: 4 }))
      .map(([good, bad]) => ({ ...good, ...bad }));
  const user = withWrongBits(
    fc.record(
      {
        schemas: goodOrBad(
          fc.constant([USER_SCHEMA, ENTERPRISE_USER_SCHEMA]),
          fc.constantFrom([GROUP_SCHEMA], ['urn:example:x'], [], USER_SCHEMA),
        ),
        userName: goodOrBad(
          word.map((name) => `u-${name}`),
          scalar,
        ),
        displayName: goodOrBad(word, scalar),
        emails: goodOrBad(fc.array(email, { maxLength: 3 }), anything),
        active: goodOrBad(fc.boolean(), scalar),
        name: goodOrBad(fc.record({ givenName: word, familyName: word }, { requiredKeys: [] }), anything),
        [ENTERPRISE_USER_SCHEMA]: goodOrBad(
          fc.record(
            { employeeNumber: word, manager: fc.record({ value: fc.constantFrom(...targets.userIds) }) },
            { requiredKeys: [] },
          ),
          anything,
        ),
      },
      { requiredKeys: ['schemas', 'userName'] },
    ),
  );
  const group = withWrongBits(
    fc.record(
      {
        schemas: goodOrBad(fc.constant([GROUP_SCHEMA]), fc.constantFrom([USER_SCHEMA], [])),
        displayName: goodOrBad(
          word.map((name) => `g-${name}`),
          scalar,
        ),
        members: goodOrBad(fc.array(member, { maxLength: 3 }), anything),
      },
      { requiredKeys: ['schemas', 'displayName'] },
    ),
  );
  const operation = fc.oneof(
    fc.record({
      op: fc.constantFrom('replace', 'add', 'Replace'),
      path: fc.constantFrom('title', 'displayName', 'nickName', 'name.givenName'),
      value: goodOrBad(word, anything),
    }),
    fc.record({
      op: fc.constantFrom('replace', 'add'),
      path: fc.constant('active'),
      value: goodOrBad(fc.boolean(), scalar),
    }),
    fc.record({
      op: fc.constantFrom('add', 'replace'),
      path: fc.constantFrom('emails', 'members'),
      value: goodOrBad(fc.array(fc.oneof(email, member), { maxLength: 2 }), anything),
    }),
    fc.record({
      op: fc.constant('remove'),
      path: fc.oneof(
        fc.constantFrom('members', 'emails', 'title', 'emails[type eq "work"]'),
        fc.constantFrom(...ids).map((item) => `members[value eq "${item}"]`),
      ),
    }),
    fc.record({ op: fc.constantFrom('replace', 'add'), value: fc.oneof(user, group) }),
    fc.record(
      {
        op: fc.constantFrom('add', 'replace', 'remove', 'merge'),
        path: fc.oneof(fc.constantFrom(...ATTRIBUTE_PATHS), filter),
        value: anything,
      },
      { requiredKeys: ['op'] },
    ),
  );
  const patchOp = fc.record(
    {
      schemas: goodOrBad(fc.constant([PATCH_OP_SCHEMA]), fc.constantFrom([], undefined)),
      Operations: goodOrBad(fc.array(operation, { minLength: 1, maxLength: 3 }), anything),
    },
    { requiredKeys: ['Operations'] },
  );
  const search = fc.record(
    {
      schemas: goodOrBad(fc.constant([SEARCH_REQUEST_SCHEMA]), fc.constant([])),
      filter: goodOrBad(filter, scalar),
      sortBy: fc.constantFrom(...ATTRIBUTE_PATHS),
      sortOrder: fc.constantFrom('ascending', 'descending', 'up'),
      startIndex: goodOrBad(fc.integer({ min: -1, max: 5 }), scalar),
      count: goodOrBad(fc.integer({ min: -1, max: 5 }), scalar),
      attributes: goodOrBad(fc.array(fc.constantFrom(...ATTRIBUTE_PATHS), { maxLength: 3 }), scalar),
    },
    { requiredKeys: ['schemas'] },
  );
  const bulkOperation = fc.oneof(
    fc.record({
      method: fc.constant('POST'),
      path: fc.constant('/Users'),
      bulkId: fc.constantFrom('a', 'b', 'c'),
      data: user,
    }),
    fc.record({
      method: fc.constant('POST'),
      path: fc.constant('/Groups'),
      bulkId: fc.constantFrom('a', 'b', 'c'),
      data: group,
    }),
    fc.record(
      {
        method: fc.constantFrom('PUT', 'PATCH', 'DELETE'),
        path: fc
          .tuple(
            fc.constantFrom('/Users/', '/Groups/'),
            fc.oneof(id, fc.constantFrom('bulkId:a', 'bulkId:b')),
          )
          .map(([kind, item]) => `${kind}${item}`),
        version: fc.constantFrom(...targets.etags, 'W/"1"', '*'),
        data: fc.oneof(user, group, patchOp),
      },
      { requiredKeys: ['method', 'path', 'data'] },
    ),
    fc.record(
      {
        method: fc.constantFrom('GET', 'post', 'FOO'),
        path: fc.constantFrom('/Users', '/Me', 'Users', '/Groups/x/y', ''),
        bulkId: scalar,
        data: anything,
      },
      { requiredKeys: ['method'] },
    ),
  );
  const bulk = fc.record(
    {
      schemas: goodOrBad(fc.constant([BULK_REQUEST_SCHEMA]), fc.constant(['x'])),
      failOnErrors: goodOrBad(fc.integer({ min: 1, max: 3 }), scalar),
      Operations: fc.array(bulkOperation, { maxLength: 4 }),
    },
    { requiredKeys: ['schemas', 'Operations'] },
  );
  return { id, query, user, group, patchOp, search, bulk, anything };
}
