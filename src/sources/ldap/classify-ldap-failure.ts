import { LdapSourceError, redactCause } from './ldap-source-error.ts';

/** Where in a read the failure happened; the same error means different things in each. */
export type LdapPhase = 'starttls' | 'bind' | 'search';

export interface FailureContext {
  readonly phase: LdapPhase;
  /** The server URL (no credentials in it: the schema only allows scheme, host and port). */
  readonly url: string;
  readonly bindDn: string;
  /** Never shown: used only to scrub it from anything kept. */
  readonly bindPassword: string;
  readonly baseDn?: string;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Active Directory's sub-codes in the diagnostic of result 49 ("… AcceptSecurityContext error, data
 * 52e, …"). @see https://learn.microsoft.com/en-us/troubleshoot/windows-server/active-directory/ldap-error-codes
 */
const AD_BIND_REASONS: Readonly<Record<string, string>> = {
  '525': 'the user does not exist',
  '52e': 'the password is wrong',
  '530': 'logons are not permitted at this time',
  '531': 'logons are not permitted from this workstation',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '701': 'the account has expired',
  '773': 'the password must be reset',
  '775': 'the account is locked out',
};

const socketCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The LDAP result code of an ldapts `ResultCodeError` (its `code` is a number). */
const resultCodeOf = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};

/** Node's TLS and OpenSSL certificate-check failures. */
function isTlsFailure(error: unknown): boolean {
  const code = socketCode(error) ?? '';
  if (/^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/.test(code))
    return true;
  return /certificate|\bSSL\b|\bTLS\b|handshake/i.test(messageOf(error));
}

function describeTlsFailure(code: string | undefined, message: string): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the certificate does not name this host (${message})`;
  if (code !== undefined && /CERT|UNABLE_TO_|DEPTH_ZERO/.test(code)) {
    return `the server's certificate is not trusted (${code}); set caCertificate to the CA that issued it`;
  }
  return code === undefined ? message : `${message} (${code})`;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function adBindReason(diagnostic: string): string | undefined {
  const match = /\bdata ([0-9a-f]{3,4})\b/i.exec(diagnostic);
  return match?.[1] === undefined ? undefined : AD_BIND_REASONS[match[1].toLowerCase()];
}

/** Maps whatever ldapts or the socket threw to one `LdapSourceError` with a plain message. */
export function classifyLdapFailure(error: unknown, context: FailureContext): LdapSourceError {
  if (error instanceof LdapSourceError) return error;
  const cause = redactCause(error, context.bindPassword);
  const make = (code: LdapSourceError['code'], message: string, resultCode?: number) =>
    new LdapSourceError(code, message, { cause, resultCode });
  const server = `LDAP server ${context.url}`;
  const code = socketCode(error);
  const resultCode = resultCodeOf(error);
  const message = messageOf(error);

  if (isTlsFailure(error)) {
    return make('tls', `TLS with ${server} failed: ${describeTlsFailure(code, cause.message)}`);
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return make('unreachable', `${server} is unreachable (${code})`);
  }
  if (code === 'ETIMEDOUT' || /\btimed? ?out\b/i.test(message)) {
    return make('timeout', `${server} did not answer in time during ${context.phase} (${message})`);
  }
  if (context.phase === 'starttls') {
    const refused =
      resultCode === undefined
        ? describeTlsFailure(code, cause.message)
        : `the server refused StartTLS (result ${resultCode}: ${cause.message})`;
    return make('tls', `TLS with ${server} failed: ${refused}`, resultCode);
  }
  if (/^Connection closed|^Socket error/.test(message)) {
    return make('unreachable', `${server} closed the connection during ${context.phase}`);
  }
  if (context.phase === 'bind') {
    if (resultCode === 49 || resultCode === 48) {
      const reason = adBindReason(message) ?? 'the bind DN or password is wrong';
      return make(
        'invalid_credentials',
        `${server} refused the bind as ${context.bindDn}: ${reason}`,
        resultCode,
      );
    }
    if (resultCode === 13) {
      return make(
        'tls',
        `${server} requires TLS for the bind (confidentialityRequired); use StartTLS or ldaps://`,
        13,
      );
    }
    return make(
      'search_failed',
      `${server} refused the bind as ${context.bindDn} (result ${resultCode ?? '?'})`,
      resultCode,
    );
  }
  if (resultCode === 32) {
    return make('no_such_base', `Base DN ${context.baseDn ?? '?'} does not exist on ${server}`, 32);
  }
  return make(
    'search_failed',
    `Search of ${context.baseDn ?? '?'} on ${server} failed` +
      (resultCode === undefined ? `: ${cause.message}` : ` (result ${resultCode}: ${cause.message})`),
    resultCode,
  );
}
