import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError } from '../../scim/errors.ts';
import { MAX_JSON_DEPTH, parseScimJson } from './parse-scim-json.ts';

const refusal = (scimType: string, detail: RegExp) => (error: unknown) =>
  error instanceof ScimError &&
  error.status === 400 &&
  error.scimType === scimType &&
  detail.test(error.message);

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('parseScimJson', () => {
  it('parses JSON values of every kind', () => {
    assert.deepEqual(parseScimJson('{"a":[1,"x",null,true,{"b":{}}]}'), {
      a: [1, 'x', null, true, { b: {} }],
    });
    assert.equal(parseScimJson('"text"'), 'text');
  });

  it('refuses an empty body and text that is not JSON, saying why', () => {
    assert.throws(() => parseScimJson(''), refusal('invalidSyntax', /body is empty/));
    assert.throws(() => parseScimJson('{"a":'), refusal('invalidSyntax', /not valid JSON: .+/));
  });

  it('refuses U+0000 in values and keys, naming where', () => {
    assert.throws(
      () => parseScimJson('{"Operations":[{"value":"a\\u0000"}]}'),
      refusal('invalidValue', /"Operations\[0\]\.value" contains U\+0000/),
    );
    assert.throws(() => parseScimJson('{"name":{"a\\u0000":1}}'), refusal('invalidValue', /key in "name"/));
  });

  it('accepts an escaped backslash followed by u0000: that is text, not NUL', () => {
    assert.deepEqual(parseScimJson('{"filter":"userName eq \\"\\\\u0000\\""}'), {
      filter: 'userName eq "\\u0000"',
    });
  });

  it('refuses __proto__ keys and constructor.prototype, but not a plain "constructor" key', () => {
    assert.throws(
      () => parseScimJson('{"a":{"__proto__":{"x":1}}}'),
      refusal('invalidSyntax', /"__proto__" key in "a"/),
    );
    assert.throws(
      () => parseScimJson('{"constructor":{"prototype":{}}}'),
      refusal('invalidSyntax', /constructor\.prototype/),
    );
    assert.deepEqual(parseScimJson('{"constructor":"x"}'), { constructor: 'x' });
    assert.equal(Object.getPrototypeOf(parseScimJson('{"constructor":{"a":1}}')), Object.prototype);
  });

  it(`accepts nesting up to ${MAX_JSON_DEPTH} levels and refuses deeper`, () => {
    assert.doesNotThrow(() => parseScimJson(nested(MAX_JSON_DEPTH)));
    assert.throws(
      () => parseScimJson(nested(MAX_JSON_DEPTH + 1)),
      refusal('invalidSyntax', /nested deeper than 32 levels/),
    );
    assert.throws(
      () => parseScimJson(nested(200_000)),
      refusal('invalidSyntax', /nested deeper|not valid JSON/),
    );
  });
});
