import pino, { type Logger } from 'pino';

/**
 * The service's structured logger. Credentials are redacted wherever they could appear, even though
 * no code path logs them on purpose: a defence in depth for the "secrets never in logs" promise.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.client_secret',
  '*.access_token',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    { level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    options.destination ?? pino.destination(1),
  );
}

export type { Logger };
