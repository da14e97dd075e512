import type { ScimClientErrorKind } from './scim-client-error.ts';

export interface FetchFailure {
  readonly kind: Extract<ScimClientErrorKind, 'unreachable' | 'timeout' | 'tls'>;
  readonly networkCode: string | undefined;
  /** Plain words: "connection refused", "host name not found", "certificate has expired". */
  readonly reason: string;
}

const UNREACHABLE_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port)',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name could not be resolved (DNS did not answer)',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  UND_ERR_SOCKET: 'the connection was closed unexpectedly',
  UND_ERR_CLOSED: 'the connection was closed unexpectedly',
};
const TLS_REASONS: Readonly<Record<string, string>> = {
  ERR_SSL_WRONG_VERSION_NUMBER:
    'the server does not speak TLS on that port (is the URL http rather than https?)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in an untrusted self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate could not be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate’s issuer is not trusted',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for another host name',
};
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/**
 * What a rejected `fetch` means, from undici's error and its `cause` chain (codes from Node's net, dns
 * and tls modules). Only the code and fixed wording leave here: never the raw message, which can be
 * long OpenSSL text.
 */
export function classifyFetchFailure(error: unknown): FetchFailure {
  if (isNamed(error, 'TimeoutError'))
    return { kind: 'timeout', networkCode: undefined, reason: 'no answer in time' };
  const code = findCode(error);
  const message = findCauseMessage(error);
  if (code !== undefined && TIMEOUT_CODES.has(code))
    return { kind: 'timeout', networkCode: code, reason: 'no answer in time' };
  if (code !== undefined && isTlsCode(code))
    return { kind: 'tls', networkCode: code, reason: TLS_REASONS[code] ?? `TLS error ${code}` };
  if (code !== undefined)
    return {
      kind: 'unreachable',
      networkCode: code,
      reason: UNREACHABLE_REASONS[code] ?? `network error ${code}`,
    };
  if (message === 'bad port')
    return {
      kind: 'unreachable',
      networkCode: 'BAD_PORT',
      reason: 'fetch refuses that port (a blocked port)',
    };
  return { kind: 'unreachable', networkCode: undefined, reason: 'the connection failed' };
}

function isTlsCode(code: string): boolean {
  return (
    Object.hasOwn(TLS_REASONS, code) ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code.includes('CERT') ||
    code === 'EPROTO'
  );
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

/** The first `code` along `cause` links and inside AggregateErrors (happy-eyeballs tries several addresses). */
function findCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && code !== 'ERR_INVALID_ARG_TYPE') return code;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = findCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return findCode(cause, depth + 1);
}

function findCauseMessage(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof Error ? cause.message : undefined;
}
