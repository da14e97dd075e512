import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.ts';

/** What an HTTP route says about an event; the recorder adds who, from where and which request. */
export interface AuditFacts {
  readonly tenantId: string | null;
  readonly actor?: { readonly type: 'admin' | 'app' | 'system' | 'anonymous'; readonly id: string | null };
  readonly action: string;
  readonly object?: { readonly type: string; readonly id: string | null } | null;
  readonly outcome: 'success' | 'failure';
  readonly status?: number | null;
  readonly detail?: Record<string, unknown> | null;
}

/** The audit log as the HTTP layer uses it (src/auth/audit). */
export interface AuditSink {
  record(
    event: AuditFacts & { actor: NonNullable<AuditFacts['actor']>; requestId: string; sourceIp: string },
  ): void;
}

export interface AuditRecorder {
  record(request: FastifyRequest, facts: AuditFacts): void;
}

export function actorOf(principal: Principal | null): NonNullable<AuditFacts['actor']> {
  if (principal === null) return { type: 'anonymous', id: null };
  return principal.kind === 'app'
    ? { type: 'app', id: principal.appId }
    : { type: 'admin', id: principal.tokenId };
}

/** Records events with the request's id, source address and authenticated principal. */
export function createAuditRecorder(sink: AuditSink): AuditRecorder {
  return {
    record(request, facts) {
      sink.record({
        ...facts,
        actor: facts.actor ?? actorOf(request.principal),
        requestId: String(request.id),
        sourceIp: request.ip,
      });
    },
  };
}
