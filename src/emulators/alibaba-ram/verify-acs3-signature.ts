import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Alibaba Cloud's V3 request signature (`ACS3-HMAC-SHA256`), as the official SDKs send it
 * (`@alicloud/openapi-core` `doRequest` → `Utils.getAuthorization`) and as "Request syntax and
 * signature method V3" describes it:
 *
 *     Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=host;x-acs-…,Signature=<hex>
 *
 *     CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
 *                        SignedHeaders \n HashedRequestPayload
 *     StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *     Signature        = hex(hmac-sha256(AccessKeySecret, StringToSign))
 *
 * Query keys sorted, values percent-encoded (RFC 3986, `!'()*` too); canonical headers are the signed
 * ones, lower-cased, `name:trimmed-value\n`, sorted; HashedRequestPayload is `x-acs-content-sha256`,
 * which must be the body's SHA-256. Every `x-acs-*` header sent and `host` must be signed.
 */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface SignedRequest {
  method: string;
  /** The raw request target: path and query string exactly as received. */
  url: string;
  /** Lower-cased header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export type Acs3Refusal = { code: 'IncompleteSignature' | 'SignatureDoesNotMatch'; message: string };

export interface Acs3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Reads the Authorization header; undefined when it is absent or not an ACS3 one. */
export function parseAcs3Authorization(header: string | undefined): Acs3Authorization | undefined {
  if (header === undefined) return undefined;
  const match = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([^,\s]+),Signature=([0-9a-f]+)$/.exec(
    header.trim(),
  );
  if (match === null) return undefined;
  return { accessKeyId: match[1]!, signedHeaders: match[2]!.split(';'), signature: match[3]! };
}

/** The SDK's percent-encoding (`encodeURIComponent` plus `!'()*`). */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Query parameters from a raw request target, decoded (`+` stays a plus: the SDK never sends one for a blank). */
export function readQuery(url: string): Map<string, string> {
  const query = new Map<string, string>();
  const at = url.indexOf('?');
  if (at < 0) return query;
  for (const pair of url.slice(at + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? '' : pair.slice(equals + 1);
    query.set(safeDecode(key), safeDecode(value));
  }
  return query;
}

export function computeAcs3Signature(
  request: SignedRequest,
  signedHeaders: readonly string[],
  secret: string,
): string {
  const path = request.url.split('?')[0] || '/';
  const query = [...readQuery(request.url)]
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalHeaders = [...signedHeaders]
    .sort()
    .map((name) => `${name}:${headerValue(request.headers[name]).trim()}\n`)
    .join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    path,
    query,
    canonicalHeaders,
    [...signedHeaders].sort().join(';'),
    headerValue(request.headers['x-acs-content-sha256']),
  ].join('\n');
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

/**
 * Checks a request against the secret of the AccessKey it names. The refusal codes are Alibaba
 * Cloud's common ones (`IncompleteSignature`, `SignatureDoesNotMatch`).
 */
export function verifyAcs3Signature(
  request: SignedRequest,
  authorization: Acs3Authorization,
  secret: string,
): Acs3Refusal | undefined {
  const signed = new Set(authorization.signedHeaders);
  const unsigned = Object.keys(request.headers).filter(
    (name) => name.startsWith('x-acs-') && !signed.has(name),
  );
  if (!signed.has('host') || unsigned.length > 0) {
    return {
      code: 'IncompleteSignature',
      message: `The request signature does not conform to Aliyun standards. Sign host and every x-acs-* header${unsigned.length > 0 ? ` (unsigned: ${unsigned.join(', ')})` : ''}.`,
    };
  }
  const contentHash = headerValue(request.headers['x-acs-content-sha256']);
  if (contentHash !== sha256Hex(request.rawBody)) {
    return {
      code: 'IncompleteSignature',
      message:
        'The request signature does not conform to Aliyun standards. x-acs-content-sha256 is not the SHA-256 of the body.',
    };
  }
  const expected = Buffer.from(computeAcs3Signature(request, authorization.signedHeaders, secret), 'hex');
  const given = Buffer.from(authorization.signature, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      code: 'SignatureDoesNotMatch',
      message: 'Specified signature is not matched with our calculation.',
    };
  }
  return undefined;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function headerValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(',') : value;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
