/** Administrative errors of targets and provisionings; the admin API maps the code to a status. */
export type ProvisioningErrorCode = 'invalid' | 'not_found' | 'conflict';

export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
  readonly code: ProvisioningErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: ProvisioningErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
