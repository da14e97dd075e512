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
  /** alibaba-ram: RAM's OpenAPI, never its AccessKey secret. */
  readonly nativeApi: {
    readonly api: string;
    readonly endpoint: string;
    readonly protocol: string;
    readonly regionId: string;
    readonly accessKeyId: string;
    readonly secretSet: boolean;
  } | null;
  readonly settings: {
    readonly concurrency: number;
    readonly rateLimit?: { readonly requestsPerSecond: number; readonly burst?: number } | null;
  };
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
  /** With a native API: whether its credentials may run the deprovisioning actions. */
  readonly nativeApi?: NativeApiPermissionReport;
}

export interface NativeApiPermissionReport {
  readonly ok: boolean;
  readonly status: 'ok' | 'missing_permissions' | 'invalid_credentials' | 'unreachable' | 'inconclusive';
  readonly summary: string;
  readonly api: string;
  readonly endpoint: string;
  readonly accessKeyId: string;
  /** The cleanup steps whose writes were checked. */
  readonly steps: readonly string[];
  readonly checks: readonly {
    readonly action: string;
    readonly step: string;
    readonly result: 'allowed' | 'missing' | 'unknown';
    readonly message: string;
  }[];
  readonly missing: readonly string[];
}

/** `POST …/provisionings/:p/test`: the target's connectivity and what the deprovision policy needs. */
export interface ProvisioningTestReport {
  readonly ok: boolean;
  readonly provisioningId: string;
  readonly targetId: string;
  readonly connectivity: ConnectivityReport;
  readonly deprovisioning: {
    readonly cleanup: readonly string[];
    readonly revocation: readonly string[];
    readonly nativeApi: 'checked' | 'none' | 'not-applicable';
    readonly missing: readonly {
      readonly action: string;
      readonly kind: string;
      readonly neededFor: readonly string[];
      readonly message: string;
    }[];
  };
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
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
  readonly kind: 'full-push' | 'removal' | 'reconciliation' | 'apply';
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

/** `GET …/provisionings/:p/removals`: what waits (issue 5). */
export interface Removals {
  readonly paused: { readonly reason: string } | null;
  readonly staged: readonly {
    readonly objectId: string;
    readonly accountId: string | null;
    readonly action: string;
    readonly trigger: string;
    readonly status: 'staged' | 'approved';
    readonly reason: string;
    readonly stagedAt: string;
  }[];
  readonly blocked: readonly {
    readonly objectId: string;
    readonly accountId: string | null;
    /** The target's names, e.g. `MFADevice`. */
    readonly states: readonly string[];
    /** What a person must do, one sentence each. */
    readonly steps: readonly string[];
    readonly since: string | null;
    readonly message: string | null;
  }[];
  readonly gracePeriod: readonly {
    readonly objectId: string;
    readonly accountId: string | null;
    readonly deleteAfter: string;
  }[];
}

/** An account as it was before a destructive step; `native` never holds secret values. */
export interface Backup {
  readonly id: string;
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly targetId: string;
  readonly objectId: string;
  readonly accountId: string;
  readonly userName: string | null;
  readonly reason: string;
  readonly scimDocument: Readonly<Record<string, unknown>>;
  readonly native: Readonly<Record<string, unknown>> | null;
  readonly takenAt: string;
  readonly expiresAt: string;
  readonly restoredAt: string | null;
  readonly restoreReport: Readonly<Record<string, unknown>> | null;
}

export interface BackupPage {
  readonly items: readonly Backup[];
  /** The `before` of the next page; null on the last. */
  readonly next: string | null;
}

export interface RestoreReport {
  readonly backupId: string;
  readonly provisioningId: string;
  readonly objectId: string;
  readonly accountId: string;
  readonly linkState: 'active' | 'kept';
  readonly restored: readonly string[];
  readonly notRestored: readonly { readonly what: string; readonly why: string }[];
  readonly durationMs: number;
}

export interface RevocationReport {
  readonly userId: string;
  readonly targets: readonly {
    readonly provisioningId: string;
    readonly targetId: string;
    readonly action: string;
    readonly outcome: 'done' | 'failed' | 'nothing-to-do';
    readonly message: string;
    readonly durationMs: number;
  }[];
  readonly durationMs: number;
}
