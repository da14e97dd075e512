/**
 * Requests wrong in their URL: invalid filters (RFC 7644 §3.4.2.2, `invalidFilter`), list
 * parameters (§3.4.2.3–§3.4.2.4, `invalidValue`), repeated parameters, malformed percent-encoding,
 * unknown endpoints (404), `/Me` (501, decision 0006), and authentication (401 with
 * WWW-Authenticate, RFC 6750 §3).
 */
import assert from 'node:assert/strict';
import type { TestResponse } from '../../support/test-service.ts';
import { type BadInputCase, filterQuery, get, json, refuse } from './bad-input-case.ts';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const search = (members: Record<string, unknown>) =>
  json('POST', 'Users/.search', { schemas: [SEARCH], ...members });
const invalidFilter = (name: string, endpoint: 'Users' | 'Groups', filter: string, detail: RegExp) =>
  refuse(name, () => get(filterQuery(endpoint, filter)), 400, 'invalidFilter', detail);
const invalidParameter = (name: string, path: string, detail: RegExp) =>
  refuse(name, () => get(path), 400, 'invalidValue', detail);
const challenges = (pattern: RegExp) => ({
  check: (response: TestResponse) => assert.match(String(response.headers['www-authenticate']), pattern),
});

// biome-ignore format: one case per line reads as a table
export const QUERY_CASES: readonly BadInputCase[] = [
  // Filters: syntax, attributes, operators per type, limits. @see RFC 7644 §3.4.2.2
  invalidFilter('filter without a value', 'Users', 'userName eq', /Invalid filter at position 11/),
  invalidFilter('filter with an unterminated string', 'Users', 'userName eq "bjensen', /unterminated string literal/),
  invalidFilter('filter with an unclosed parenthesis', 'Users', '(userName eq "a"', /expected "and", "or" or "\)"/),
  invalidFilter('filter with an unknown operator', 'Users', 'userName like "a"', /expected a comparison operator after "userName" but found "like"/),
  invalidFilter('filter on an unknown attribute', 'Users', 'shoeSize eq "42"', /"shoeSize" is not an attribute of User resources/),
  invalidFilter('filter on an unknown sub-attribute', 'Users', 'name.middle eq "J"', /"middle" is not a sub-attribute of "name"/),
  invalidFilter('filter on an unknown member sub-attribute', 'Groups', 'members.role eq "x"', /"role" is not a sub-attribute of "members"/),
  invalidFilter('filter on a never-returned attribute', 'Users', 'password eq "secret"', /"password" cannot be used in a filter/),
  invalidFilter('gt on a boolean', 'Users', 'active gt true', /boolean attribute: only eq, ne and pr apply to it, not gt/),
  invalidFilter('a number compared with a string attribute', 'Users', 'userName eq 5', /string attribute: compare it with a string, not 5/),
  invalidFilter('a dateTime compared with a non-date string', 'Users', 'meta.lastModified gt "yesterday"', /dateTime attribute: compare it with an xsd:dateTime string/),
  invalidFilter('a dateTime compared with a number', 'Groups', 'meta.created lt 2024', /dateTime attribute/),
  invalidFilter('a huge number literal', 'Users', 'title eq 1e999', /the number 1e999 is out of range/),
  invalidFilter('a filter longer than 10,000 characters', 'Users', `userName eq "${'a'.repeat(10_000)}"`, /longer than 10000 characters/),
  invalidFilter('a filter nested deeper than 50 levels', 'Groups', `${'('.repeat(60)}displayName eq "a"${')'.repeat(60)}`, /nested deeper than 50 levels/),
  invalidFilter('a raw NUL in a filter', 'Users', 'userName eq "a\u0000"', /control character U\+0000/),
  invalidFilter('an escaped NUL in a filter literal', 'Users', 'userName eq "a\\u0000b"', /string literal contains U\+0000/),
  invalidFilter('an escaped NUL in a member filter', 'Groups', 'members[value eq "\\u0000"]', /string literal contains U\+0000/),
  refuse('an invalid filter in a SearchRequest', () => search({ filter: 'userName eq' }), 400, 'invalidFilter', /Invalid filter/),
  refuse('an escaped NUL in a SearchRequest filter', () => search({ filter: 'emails.value co "\\u0000"' }), 400, 'invalidFilter', /U\+0000/),

  // List parameters. @see RFC 7644 §3.4.2.3 (sortBy, sortOrder), §3.4.2.4 (startIndex, count)
  invalidParameter('sortBy an unknown attribute', 'Users?sortBy=shoeSize', /sortBy "shoeSize" is not a sortable attribute of User/),
  invalidParameter('sortBy a complex attribute', 'Users?sortBy=name', /sortBy "name" names a complex attribute/),
  invalidParameter('sortBy a never-returned attribute', 'Users?sortBy=password', /sortBy "password" is not a sortable attribute/),
  invalidParameter('sortBy a value filter', `Users?sortBy=${encodeURIComponent('emails[type eq "work"]')}`, /is not a sortable attribute/),
  invalidParameter('sortBy that is not a path', 'Groups?sortBy=%22displayName%22', /is not an attribute path/),
  invalidParameter('sortOrder other than ascending/descending', 'Users?sortBy=userName&sortOrder=up', /sortOrder must be "ascending" or "descending", not "up"/),
  invalidParameter('startIndex that is not a number', 'Users?startIndex=first', /startIndex must be an integer/),
  invalidParameter('startIndex that is not an integer', 'Groups?startIndex=1.5', /startIndex must be an integer/),
  invalidParameter('startIndex beyond safe integers', 'Users?startIndex=9007199254740993', /startIndex must be an integer/),
  invalidParameter('count that is not a number', 'Users?count=ten', /count must be an integer/),
  invalidParameter('count that is huge', 'Users?count=1e400', /count must be an integer/),
  invalidParameter('a repeated filter', 'Users?filter=userName%20pr&filter=title%20pr', /filter must be given once/),
  invalidParameter('a repeated count', 'Groups?count=1&count=2', /count must be given once/),
  invalidParameter('a repeated startIndex', 'Users?startIndex=1&startIndex=3', /startIndex must be given once/),
  invalidParameter('a repeated sortBy', 'Users?sortBy=userName&sortBy=title', /sortBy must be given once/),
  refuse('filter that is not a string in a SearchRequest', () => search({ filter: 5 }), 400, 'invalidValue', /filter must be a string/),
  refuse('startIndex that is a boolean in a SearchRequest', () => search({ startIndex: true }), 400, 'invalidValue', /startIndex must be an integer/),
  refuse('attributes that is a number in a SearchRequest', () => search({ attributes: 5 }), 400, 'invalidValue', /attributes must be a comma-separated string or an array of strings/),
  refuse('an unknown SearchRequest member', () => search({ sort: 'userName' }), 400, 'invalidSyntax', /Unknown SearchRequest member "sort"/),
  refuse('a SearchRequest without its schema', () => json('POST', 'Groups/.search', { filter: 'displayName pr' }), 400, 'invalidSyntax', /must list "urn:ietf:params:scim:api:messages:2\.0:SearchRequest"/),

  // URLs and endpoints. @see RFC 7644 §3.12 (404), decision 0006 (/Me, root .search: 501)
  refuse('a malformed percent-encoding in the path', () => get('Users/%E0%A4%A'), 400, undefined, /malformed percent-encoding/),
  refuse('a lone % in the path', () => ({ method: 'DELETE', path: 'Groups/%' }), 400, undefined, /malformed percent-encoding/),
  refuse('a path segment over the router limit', () => get(`Users/${'a'.repeat(600)}`), 414, undefined, /too long/),
  refuse('an id with an encoded NUL', () => get('Users/a%00b'), 404, undefined, /User a.b not found/),
  refuse('an unknown user id', () => get('Users/2819c223-7f76-453a-919d-413861904646'), 404, undefined, /User 2819c223-7f76-453a-919d-413861904646 not found/),
  refuse('an unknown group id on DELETE', () => ({ method: 'DELETE', path: 'Groups/no-such-group' }), 404, undefined, /Group no-such-group not found/),
  refuse('an unknown endpoint', () => get('Devices'), 404, undefined, /No SCIM endpoint at GET \/t\/acme\/scim\/v2\/Devices/),
  refuse('an unknown resource type', () => get('ResourceTypes/Device'), 404, undefined, /Resource type Device not found/),
  refuse('POST to a resource', (f) => json('POST', `Users/${f.userId}`, {}), 404, undefined, /No SCIM endpoint at POST/),
  refuse('GET /Me', () => get('Me'), 501, undefined, /\/Me is not supported/),
  refuse('POST /Me', () => json('POST', 'Me', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'me' }), 501, undefined, /\/Me is not supported/),
  refuse('POST /.search at the root', () => json('POST', '.search', { schemas: [SEARCH] }), 501, undefined, /use \/Users\/\.search or \/Groups\/\.search/),
  refuse('a filter on a discovery endpoint', () => get('Schemas?filter=id%20pr'), 403, undefined, /Filtering is not supported on discovery endpoints/),

  // Authentication. @see RFC 6750 §3, decision 0005 (a foreign token is refused like an unknown one)
  refuse('no token', () => ({ method: 'GET', path: 'Users', options: { anonymous: true } }), 401, undefined, /Authentication required/, challenges(/^Bearer realm="lockstep"$/)),
  refuse('a Basic credential', () => get('Users', { authorization: 'Basic YWRtaW46YWRtaW4=' }), 401, undefined, /Authentication required/, challenges(/^Bearer realm="lockstep"$/)),
  refuse('a wrong token', () => get('Groups', { authorization: 'Bearer lst_not-a-real-token' }), 401, undefined, /not valid for this tenant/, challenges(/error="invalid_token"/)),
  refuse('a token of another tenant', (f) => json('POST', 'Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'intruder' }, { authorization: `Bearer ${f.foreignToken}` }), 401, undefined, /not valid for this tenant/, challenges(/error="invalid_token"/)),
  refuse('a tenant that does not exist', () => get('/t/no-such-tenant/scim/v2/Users'), 401, undefined, /not valid for this tenant/, challenges(/error="invalid_token"/)),
];
