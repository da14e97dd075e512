import fc from 'fast-check';
import { type FuzzRequest, type FuzzTargets, scimArbitraries } from './scim-request-arbitraries.ts';

/** A request before its headers: what it does and with which body (a JSON value, or raw text). */
interface Shape {
  readonly method: string;
  readonly path: string;
  readonly body?: { readonly json: unknown } | { readonly text: string };
}

const json = (value: unknown) => ({ json: value });

/**
 * Random requests for the no-500 fuzz: three coherent ones (the right method, path and kind of body)
 * for each chaotic one, with random media types, ETag headers and now and then a bad credential.
 */
export function fuzzRequestArbitrary(targets: FuzzTargets, token: string): fc.Arbitrary<FuzzRequest> {
  const a = scimArbitraries(targets);
  const kind = fc.constantFrom('Users', 'Groups');
  const resource = fc.tuple(kind, a.id).map(([endpoint, id]) => `${endpoint}/${id}`);
  const bodyFor = (endpoint: string) => (endpoint === 'Users' ? a.user : a.group);
  const coherent: fc.Arbitrary<Shape> = fc.oneof(
    kind
      .chain((endpoint) => fc.tuple(fc.constant(endpoint), bodyFor(endpoint), a.query))
      .map(([endpoint, body, query]) => ({ method: 'POST', path: `${endpoint}${query}`, body: json(body) })),
    kind
      .chain((endpoint) => fc.tuple(fc.constant(endpoint), a.id, bodyFor(endpoint)))
      .map(([endpoint, id, body]) => ({ method: 'PUT', path: `${endpoint}/${id}`, body: json(body) })),
    fc
      .tuple(resource, a.patchOp, a.query)
      .map(([path, body, query]) => ({ method: 'PATCH', path: `${path}${query}`, body: json(body) })),
    resource.map((path) => ({ method: 'DELETE', path })),
    fc.tuple(resource, a.query).map(([path, query]) => ({ method: 'GET', path: `${path}${query}` })),
    fc.tuple(kind, a.query).map(([endpoint, query]) => ({ method: 'GET', path: `${endpoint}${query}` })),
    fc
      .tuple(kind, a.search)
      .map(([endpoint, body]) => ({ method: 'POST', path: `${endpoint}/.search`, body: json(body) })),
    a.bulk.map((body) => ({ method: 'POST', path: 'Bulk', body: json(body) })),
  );
  const anyPath = fc.oneof(
    resource,
    fc.constantFrom(
      'Users',
      'Groups',
      'Users/.search',
      'Bulk',
      'Me',
      '.search',
      'ServiceProviderConfig',
      'Schemas',
      'ResourceTypes/User',
      '',
      'Users//x',
    ),
    fc
      .tuple(fc.constantFrom('Schemas', 'ResourceTypes', 'Devices', 'Bulk'), a.id)
      .map(([endpoint, id]) => `${endpoint}/${id}`),
  );
  const anyBody = fc.oneof(
    fc.oneof(a.user, a.group, a.patchOp, a.search, a.bulk, a.anything).map(json),
    fc.string({ maxLength: 40 }).map((text) => ({ text })),
    fc.oneof(a.user, a.bulk).map((value) => ({ text: JSON.stringify(value).slice(0, -1) })),
    fc.nat({ max: 200 }).map((depth) => ({ text: `${'['.repeat(depth)}${']'.repeat(depth)}` })),
  );
  const chaotic: fc.Arbitrary<Shape> = fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      path: fc.tuple(anyPath, a.query).map(([path, query]) => `${path}${query}`),
      body: fc.option(anyBody, { nil: undefined }),
    })
    .map(({ body, ...rest }) => (body === undefined ? rest : { ...rest, body }));

  // biome-ignore format: vocabulary list
  const contentType = fc.oneof(
    { arbitrary: fc.constantFrom('application/scim+json', 'application/json', 'application/scim+json; charset=utf-8'), weight: 12 },
    fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/scim+json; charset=latin1', '', 'garbage'),
  );
  const etag = fc.constantFrom(...targets.etags, '*', 'W/"1"', 'W/"2"', 'W/"999"', 'garbage', '"1", W/"2"');
  const headers = fc.record(
    {
      authorization: fc.oneof(
        { arbitrary: fc.constant(`Bearer ${token}`), weight: 30 },
        fc.constantFrom('', 'Bearer', 'Bearer lst_nope', `Basic ${token}`),
      ),
      'content-type': contentType,
      'if-match': etag,
      'if-none-match': etag,
    },
    { requiredKeys: ['authorization', 'content-type'] },
  );
  return fc
    .tuple(fc.oneof({ arbitrary: coherent, weight: 3 }, chaotic), headers, fc.integer({ min: 0, max: 9 }))
    .map(([shape, { 'content-type': type, ...others }, dice]) => {
      if (shape.body === undefined) return { method: shape.method, path: shape.path, headers: others };
      const rawBody = 'json' in shape.body ? (JSON.stringify(shape.body.json) ?? 'null') : shape.body.text;
      return {
        method: shape.method,
        path: shape.path,
        headers: dice === 0 ? others : { ...others, 'content-type': type },
        rawBody,
      };
    });
}
