import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { stringify } from 'node:querystring';
import { describe, it } from 'node:test';
import * as $OpenApi from '@alicloud/openapi-core';
import { parseAcs3Authorization, verifyAcs3Signature } from './verify-acs3-signature.ts';

const SECRET = 'test-secret';

/** A request signed by the SDK's own signer and sent the way its HTTP layer sends it (querystring). */
function signBySdk(query: Record<string, string>, body = '') {
  const payload = createHash('sha256').update(body).digest('hex');
  const headers: Record<string, string> = {
    host: '127.0.0.1:9',
    'x-acs-action': 'GetUser',
    'x-acs-version': '2015-05-01',
    'x-acs-date': '2025-01-01T00:00:00Z',
    'x-acs-signature-nonce': 'n1',
    'x-acs-content-sha256': payload,
  };
  const authorization = $OpenApi.OpenApiUtil.getAuthorization(
    { pathname: '/', method: 'POST', query, headers } as unknown as Parameters<
      typeof $OpenApi.OpenApiUtil.getAuthorization
    >[0],
    'ACS3-HMAC-SHA256',
    payload,
    'LTAIkey',
    SECRET,
  );
  return {
    method: 'POST',
    url: `/?${stringify(query)}`,
    headers: { ...headers, authorization },
    rawBody: body,
  };
}

describe('verifyAcs3Signature', () => {
  it("accepts the SDK's signature, parameters with blanks and !'()*~ included", () => {
    const request = signBySdk({ UserName: "a b!'()*~.x", Comments: '中文 & = +' });
    const authorization = parseAcs3Authorization(request.headers.authorization);
    assert.ok(authorization);
    assert.equal(verifyAcs3Signature(request, authorization, SECRET), undefined);
  });

  it('refuses another secret, a changed parameter, an unsigned x-acs header and a wrong payload hash', () => {
    const request = signBySdk({ UserName: 'alice' });
    const authorization = parseAcs3Authorization(request.headers.authorization)!;
    assert.equal(verifyAcs3Signature(request, authorization, 'other')?.code, 'SignatureDoesNotMatch');
    assert.equal(
      verifyAcs3Signature({ ...request, url: '/?UserName=bob' }, authorization, SECRET)?.code,
      'SignatureDoesNotMatch',
    );
    assert.equal(
      verifyAcs3Signature(
        { ...request, headers: { ...request.headers, 'x-acs-more': '1' } },
        authorization,
        SECRET,
      )?.code,
      'IncompleteSignature',
    );
    assert.equal(
      verifyAcs3Signature({ ...request, rawBody: 'x' }, authorization, SECRET)?.code,
      'IncompleteSignature',
    );
  });
});
