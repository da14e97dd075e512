/**
 * The administrative errors of tenants, apps, secrets and admin tokens. The admin API turns the code
 * into a status (400, 404, 409), the CLI into an exit code.
 */
export type AuthErrorCode = 'invalid' | 'not_found' | 'exists' | 'conflict' | 'limit';

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  /** Field-level details (e.g. the objects that still reference a tenant). */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: AuthErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
