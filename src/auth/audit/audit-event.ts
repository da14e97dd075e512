/** Who did something: an admin token, an OAuth app, Lockstep itself, or an unauthenticated caller. */
export type AuditActorType = 'admin' | 'app' | 'system' | 'anonymous';

export type AuditOutcome = 'success' | 'failure';

/**
 * One admin action or SCIM write, as the code that saw it records it (`AuditLog.record`). `at` defaults
 * to the moment of recording; `detail` is scrubbed of secrets and bounded in size before it is stored
 * (see scrub-audit-detail.ts), so callers may pass what they have without filtering it first.
 */
export interface AuditEvent {
  readonly at?: string;
  readonly tenantId: string | null;
  readonly actor: { readonly type: AuditActorType; readonly id: string | null };
  /** Dotted verb, e.g. `app.create`, `scim.user.replace`. */
  readonly action: string;
  readonly object?: { readonly type: string; readonly id: string | null } | null;
  readonly outcome: AuditOutcome;
  /** The HTTP status answered, when there was one. */
  readonly status?: number | null;
  readonly requestId?: string | null;
  readonly sourceIp?: string | null;
  readonly detail?: Record<string, unknown> | null;
}

/** A stored event as the admin API shows it (contract: AuditEvent). `id` is the row's sequence number. */
export interface AuditEventView {
  id: string;
  at: string;
  tenantId: string | null;
  actor: { type: AuditActorType; id: string | null };
  action: string;
  object: { type: string; id: string | null } | null;
  outcome: AuditOutcome;
  status: number | null;
  requestId: string | null;
  sourceIp: string | null;
  detail: Record<string, unknown> | null;
}
