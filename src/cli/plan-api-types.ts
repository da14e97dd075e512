/** The admin API's plan shapes, as the CLI reads them (src/provisioning/planning/plan-types.ts). */

export interface PlannedStep {
  readonly action: string;
  readonly status: string | null;
  readonly message?: string;
}

export interface PlannedOperation {
  readonly objectId: string;
  readonly userName: string | null;
  readonly accountId: string | null;
  readonly kind: string;
  readonly trigger?: string;
  readonly changes?: Readonly<Record<string, { readonly old: unknown; readonly new: unknown }>>;
  readonly substitution?: string;
  readonly cleanup?: {
    readonly states: readonly { readonly kind: string; readonly allowed: boolean }[];
    readonly blockedBy: readonly string[];
  };
  readonly staged?: { readonly reason: string; readonly already: boolean };
  readonly deleteAt?: string;
  readonly steps: readonly PlannedStep[];
  readonly note?: string;
}

export interface Plan {
  readonly id: string;
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly kind: 'full-push' | 'config' | 'removal';
  readonly status: 'ready' | 'applying' | 'applied' | 'stale' | 'expired';
  readonly enables: boolean;
  readonly deletionStrategy: 'Delete' | 'Keep' | null;
  readonly summary: Readonly<Record<string, number>> & { readonly considered: number };
  readonly guard: {
    readonly enabled: boolean;
    readonly removals: number;
    readonly inWindow: number;
    readonly live: number;
    readonly stages: string | null;
    readonly paused: string | null;
  };
  readonly notes: readonly string[];
  readonly runId: string | null;
  readonly refusal: {
    readonly reason: string;
    readonly message: string;
    readonly changes: readonly { readonly objectId: string | null; readonly what: string }[];
  } | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly appliedAt: string | null;
  readonly operations: { readonly items: readonly PlannedOperation[]; readonly nextCursor: string | null };
}
