/**
 * Why an LDAP read stopped. Each code is one thing an operator can fix; every one of them stops the
 * run before anything is changed (the caller applies nothing from a read that failed).
 */
export type LdapSourceErrorCode =
  /** The server is down, refused the connection, or dropped it mid-read. */
  | 'unreachable'
  /** The connection or an operation took longer than its timeout. */
  | 'timeout'
  /** The TLS handshake failed (untrusted or mismatched certificate) or StartTLS was refused. */
  | 'tls'
  /** The bind DN or password is wrong (result 49), or the server refused that kind of bind. */
  | 'invalid_credentials'
  /** A configured base DN does not exist (result 32). */
  | 'no_such_base'
  /** A configured base DN (with its filter and scope) returned no entries at all. */
  | 'base_empty'
  /** An entry lacks the stable key attribute (entryUUID / objectGUID). */
  | 'missing_key'
  /** Any other failure of a bind or search. */
  | 'search_failed';

export class LdapSourceError extends Error {
  override readonly name = 'LdapSourceError';
  readonly code: LdapSourceErrorCode;
  /** The LDAP result code when the server answered with one. */
  readonly resultCode: number | undefined;

  constructor(
    code: LdapSourceErrorCode,
    message: string,
    options: { resultCode?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.resultCode = options.resultCode;
  }
}

export type LdapResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: LdapSourceError };

/**
 * A copy of `error` safe to keep: a plain Error with the message and the code, `secret` replaced by
 * `***` (a server could echo what it was sent), and no stack of the library's internals.
 */
export function redactCause(error: unknown, secret: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const redacted = new Error(secret.length > 0 ? message.split(secret).join('***') : message);
  redacted.name = error instanceof Error ? error.name : 'Error';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(redacted, { code });
  redacted.stack = `${redacted.name}: ${redacted.message}`;
  return redacted;
}
