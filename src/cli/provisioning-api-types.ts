/** Targets, provisionings, runs and their read models as the CLI reads them (see /api/openapi.json). */

export const TARGET_PROFILES = ['generic-scim', 'lockstep', 'alibaba-ram', 'aws-identity-center'] as const;

/** A target as the API shows it: never its bearer token or client secret. */
export interface Target {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly profile: string;
  readonly baseUrl: string;
  readonly authentication:
    | { readonly kind: 'bearer'; readonly tokenSet: boolean }
    | {
        readonly kind: 'oauth_client_credentials';
        readonly tokenUrl: string;
        readonly clientId: string;
        readonly clientAuthentication: string | null;
        readonly parametersIn: string | null;
        readonly scope: string | null;
        readonly secretSet: boolean;
      };
  readonly timeoutMs: number;
  readonly settings: { readonly concurrency: number };
  readonly status: 'active' | 'quarantined';
  readonly statusReason: string | null;
  readonly statusSince: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ConnectivityStep {
  readonly name: string;
  readonly status: 'ok' | 'warning' | 'failed' | 'skipped';
  readonly message: string;
  readonly problem?: string;
  readonly httpStatus?: number;
  readonly detail?: string;
}

export interface ConnectivityReport {
  readonly ok: boolean;
  readonly steps: readonly ConnectivityStep[];
}

export interface Provisioning {
  readonly id: string;
  readonly tenantId: string;
  readonly targetId: string;
  readonly name: string;
  readonly status: 'enabled' | 'disabled' | 'removing';
  readonly config: {
    readonly matching?: readonly string[];
    readonly operations?: Readonly<Record<string, boolean>>;
    readonly duplicationStrategy?: string;
    readonly deletionStrategy?: string;
    readonly pushGroups?: boolean;
    readonly mapping?: unknown;
    readonly scope?: unknown;
  };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const RUN_ACTIONS = ['created', 'updated', 'deleted', 'same', 'skipped'] as const;

export interface Tally {
  readonly total: number;
  readonly success: number;
  readonly failed: number;
}

/** IDaaS's shape: per action total / success / failed, plus objects planned and still pending. */
export type RunStatistics = Readonly<Record<(typeof RUN_ACTIONS)[number], Tally>> & {
  readonly planned: number;
  readonly pending: number;
};

export type RunStatus = 'pending' | 'running' | 'failed' | 'partial_success' | 'success' | 'cancelled';

export interface Run {
  readonly id: string;
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly kind: 'full-push' | 'removal';
  readonly status: RunStatus;
  readonly statistics: RunStatistics;
  readonly error: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export function isRunOver(run: Run): boolean {
  return run.status !== 'pending' && run.status !== 'running';
}

export interface LogEntry {
  readonly id: string;
  readonly at: string;
  readonly runId: string | null;
  readonly objectType: string;
  readonly objectId: string;
  readonly accountId: string | null;
  readonly action: string;
  readonly status: string;
  readonly attempt: number;
  readonly targetStatus: number | null;
  readonly changes: unknown;
  readonly message: string | null;
  readonly durationMs: number | null;
}

export interface ProvisioningEvent {
  readonly id: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly action: string;
  readonly errorCode: string | null;
  readonly errorMessage: string;
  readonly errorCount: number;
  readonly firstFailedAt: string;
  readonly lastAttemptAt: string;
}

export interface Link {
  readonly objectType: string;
  readonly objectId: string;
  readonly accountId: string | null;
  readonly state: string;
  readonly createdByUs: boolean;
  readonly pushed: unknown;
  readonly lastError: string | null;
  readonly updatedAt: string;
}
