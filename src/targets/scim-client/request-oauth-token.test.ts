import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenResponseSchema } from './request-oauth-token.ts';
import { ScimConnectionSchema } from './scim-connection.ts';

describe('TokenResponseSchema', () => {
  it('reads RAM’s answer, whose expires_in is a string (REFERENCE.md §4)', () => {
    const parsed = TokenResponseSchema.parse({
      scope: '/acs/scim',
      request_id: 'b1f0c6f2-0c1e-4c9e-9d1a-3f2f1c1d2e3f',
      access_token: 'eyJ.x.y',
      token_type: 'Bearer',
      expires_in: '3599',
    });
    assert.equal(parsed.expires_in, 3599);
  });

  it('reads a numeric expires_in, none at all, and a lower-case token_type', () => {
    assert.equal(
      TokenResponseSchema.parse({ access_token: 'a', token_type: 'bearer', expires_in: 60 }).expires_in,
      60,
    );
    assert.equal(TokenResponseSchema.parse({ access_token: 'a' }).expires_in, undefined);
  });

  it('refuses what cannot be used as a bearer token', () => {
    for (const body of [
      undefined,
      {},
      { access_token: '' },
      { access_token: 'a', token_type: 'mac' },
      { access_token: 'a', expires_in: 'soon' },
      { access_token: 'a', expires_in: -1 },
    ]) {
      assert.equal(TokenResponseSchema.safeParse(body).success, false, JSON.stringify(body));
    }
  });
});

describe('ScimConnectionSchema', () => {
  it('refuses URLs that are not http(s) or that carry credentials', () => {
    const bearer = { kind: 'bearer', token: 't' };
    assert.equal(
      ScimConnectionSchema.safeParse({ baseUrl: 'https://scim.aliyun.com', authentication: bearer }).success,
      true,
    );
    for (const baseUrl of ['ftp://scim.example', 'scim.aliyun.com', 'https://user:pw@scim.example']) {
      assert.equal(
        ScimConnectionSchema.safeParse({ baseUrl, authentication: bearer }).success,
        false,
        baseUrl,
      );
    }
  });
});
