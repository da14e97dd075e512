/**
 * Every way a RAM OpenAPI call can fail, as a value. `kind` is what callers branch on; `code` keeps
 * RAM's own code (`EntityNotExist.User`, `DeleteConflict.User.AccessKey`, `NoPermission`, …) and
 * `message` RAM's words. Nothing here holds the AccessKey secret: messages are built from the action,
 * the status and RAM's answer, and scrubbed of the secret besides.
 */
export type RamOpenapiErrorKind =
  /** `EntityNotExist.*` (404): for EntityNotExist.User, the user is already gone. */
  | 'not_found'
  /** `DeleteConflict.*` and `EntityAlreadyExists.*` / `LimitExceeded.*` (409). */
  | 'conflict'
  /** `NoPermission` and other 403s: the caller's AccessKey lacks a RAM permission. */
  | 'forbidden'
  /** Signature, AccessKey or timestamp refused (`SignatureDoesNotMatch`, `InvalidAccessKeyId.*`, …). */
  | 'unauthenticated'
  /** A code containing `Throttling`, or 429. */
  | 'throttled'
  /** Any other 4xx: a request RAM finds invalid. */
  | 'invalid'
  /** 5xx. */
  | 'server_error'
  /** No answer: refused connection, DNS, timeout, TLS. */
  | 'unreachable';

export interface RamOpenapiError {
  readonly kind: RamOpenapiErrorKind;
  /** The RPC action, e.g. `DeleteUser`. */
  readonly action: string;
  /** RAM's error code, or the network error's code (`ECONNREFUSED`) when unreachable. */
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  /** From `x-acs-retry-after` on a throttled answer, when RAM sent it. */
  readonly retryAfterMs: number | undefined;
  /** One line for logs and people; no stack, no secrets. */
  readonly message: string;
}

export type RamOpenapiResult<T> = { ok: true; value: T } | { ok: false; error: RamOpenapiError };

const UNAUTHENTICATED =
  /^(IncompleteSignature|SignatureDoesNotMatch|SignatureNonceUsed|InvalidAccessKeyId|InvalidTimeStamp|InvalidSecurityToken|MissingSignatureNonce)/;

/** The kind RAM's answer means. */
export function classifyRamError(status: number | undefined, code: string | undefined): RamOpenapiErrorKind {
  if (status === undefined) return 'unreachable';
  const text = code ?? '';
  if (text.includes('Throttling') || status === 429) return 'throttled';
  if (text.startsWith('EntityNotExist.')) return 'not_found';
  if (
    text.startsWith('DeleteConflict.') ||
    text.startsWith('EntityAlreadyExists.') ||
    text.startsWith('LimitExceeded.')
  )
    return 'conflict';
  if (UNAUTHENTICATED.test(text)) return 'unauthenticated';
  if (text === 'NoPermission' || text.startsWith('Forbidden') || status === 403) return 'forbidden';
  if (status >= 500) return 'server_error';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  return 'invalid';
}

/**
 * Turns whatever the SDK threw into a `RamOpenapiError`. The SDK throws `ClientError` /
 * `ServerError` / `ThrottlingError` (with `code`, `statusCode`, `requestId`, `data.Message`) for an
 * answer, and the HTTP layer's own error (with a Node `code` such as `ECONNREFUSED`) for no answer.
 * The SDK error object itself is not kept: its `data` may carry the signed request.
 */
export function toRamOpenapiError(action: string, thrown: unknown, secret: string): RamOpenapiError {
  const error = (thrown ?? {}) as Record<string, unknown>;
  const status = typeof error.statusCode === 'number' ? error.statusCode : undefined;
  const code = typeof error.code === 'string' && error.code !== 'undefined' ? error.code : undefined;
  const data = (error.data ?? {}) as Record<string, unknown>;
  const requestId =
    typeof error.requestId === 'string' && error.requestId !== 'undefined' ? error.requestId : undefined;
  const kind = classifyRamError(status, code);
  const retryAfter = typeof error.retryAfter === 'number' ? error.retryAfter : undefined;
  const said =
    typeof data.Message === 'string'
      ? data.Message
      : thrown instanceof Error
        ? thrown.message
        : String(thrown);
  const message =
    status === undefined
      ? `RAM ${action}: no answer (${code ?? 'network error'}): ${said}`
      : `RAM ${action}: ${status} ${code ?? ''}: ${said}${requestId !== undefined ? ` (request ${requestId})` : ''}`;
  return {
    kind,
    action,
    code,
    status,
    requestId,
    retryAfterMs: kind === 'throttled' ? retryAfter : undefined,
    message: redact(message, secret),
  };
}

function redact(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join('***');
}
