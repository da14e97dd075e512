import { resolve } from 'node:path';
import { z } from 'zod';

const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const EnvSchema = z.object({
  PORT: integer(8080, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      'must be a postgres:// URL (leave it unset for the embedded SQLite database)',
    )
    .optional(),
  LOCKSTEP_DATA_DIR: z.string().min(1).default('./data'),
  LOCKSTEP_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOCKSTEP_BODY_LIMIT_BYTES: integer(16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  LOCKSTEP_BULK_MAX_OPERATIONS: integer(1000, 1, 100_000),
  LOCKSTEP_BULK_MAX_PAYLOAD_BYTES: integer(1024 * 1024, 1024, 1024 * 1024 * 1024),
  LOCKSTEP_FILTER_MAX_RESULTS: integer(1000, 1, 100_000),
  LOCKSTEP_DEFAULT_PAGE_SIZE: integer(100, 1, 100_000),
  LOCKSTEP_SECRET_KEY: z.string().min(1).optional(),
  LOCKSTEP_ADMIN_TOKEN: z.string().min(32, 'must have at least 32 characters').optional(),
  LOCKSTEP_SIGNING_KEY_ROTATION_DAYS: integer(30, 1, 3650),
  LOCKSTEP_TOKEN_RATE_PER_IP: integer(120, 1, 1_000_000),
  LOCKSTEP_TOKEN_RATE_PER_APP: integer(60, 1, 1_000_000),
  LOCKSTEP_AUDIT_RETENTION_DAYS: integer(365, 1, 36_500),
  LOCKSTEP_PROVISIONING_LOG_RETENTION_DAYS: integer(90, 1, 36_500),
  LOCKSTEP_JOB_LEASE_MS: integer(30_000, 1_000, 3_600_000),
});

/** Everything the service reads from its environment, parsed once at start. */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly storage:
    | { readonly kind: 'sqlite'; readonly path: string }
    | { readonly kind: 'postgres'; readonly url: string };
  /** Public origin (scheme://host[:port]) for SCIM `meta.location`; from the request's Host when unset. */
  readonly publicUrl: string | undefined;
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  readonly bodyLimitBytes: number;
  readonly bulk: { readonly maxOperations: number; readonly maxPayloadSize: number };
  readonly list: { readonly defaultCount: number; readonly maxResults: number };
  /** The key that seals secrets at rest: the variable's value, or a file created on first start. */
  readonly secretKey: { readonly value: string | undefined; readonly file: string };
  /** An admin token supplied by the environment (never stored). */
  readonly adminToken: string | undefined;
  readonly signingKeyRotationDays: number;
  /** Token requests allowed per minute, per source IP and per app. */
  readonly tokenRateLimit: { readonly perIp: number; readonly perApp: number };
  readonly auditRetentionDays: number;
  /** How long provisioning-log entries are kept. */
  readonly provisioningLogRetentionDays: number;
  /**
   * How long a claimed job of the embedded (SQL) queue is held without renewal: after a crash, the
   * jobs the dead process held run again once this has passed (renewed every third of it while they
   * run). Lower it to recover faster; too low and a busy process loses leases it still holds.
   */
  readonly jobLeaseMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment into a frozen Config; a wrong setting fails fast, naming the variable and why. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    storage:
      e.DATABASE_URL !== undefined
        ? { kind: 'postgres', url: e.DATABASE_URL }
        : { kind: 'sqlite', path: resolve(e.LOCKSTEP_DATA_DIR, 'lockstep.db') },
    publicUrl: e.LOCKSTEP_PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.LOCKSTEP_BODY_LIMIT_BYTES,
    bulk: {
      maxOperations: e.LOCKSTEP_BULK_MAX_OPERATIONS,
      maxPayloadSize: e.LOCKSTEP_BULK_MAX_PAYLOAD_BYTES,
    },
    list: { defaultCount: e.LOCKSTEP_DEFAULT_PAGE_SIZE, maxResults: e.LOCKSTEP_FILTER_MAX_RESULTS },
    secretKey: { value: e.LOCKSTEP_SECRET_KEY, file: resolve(e.LOCKSTEP_DATA_DIR, 'secret.key') },
    adminToken: e.LOCKSTEP_ADMIN_TOKEN,
    signingKeyRotationDays: e.LOCKSTEP_SIGNING_KEY_ROTATION_DAYS,
    tokenRateLimit: { perIp: e.LOCKSTEP_TOKEN_RATE_PER_IP, perApp: e.LOCKSTEP_TOKEN_RATE_PER_APP },
    auditRetentionDays: e.LOCKSTEP_AUDIT_RETENTION_DAYS,
    provisioningLogRetentionDays: e.LOCKSTEP_PROVISIONING_LOG_RETENTION_DAYS,
    jobLeaseMs: e.LOCKSTEP_JOB_LEASE_MS,
  } satisfies Config);
}
