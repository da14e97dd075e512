import { z } from 'zod';

/**
 * Misbehaviour on demand, for the engine's retry, back-off and circuit-breaker tests: answer after a
 * delay, or answer 429 (with Retry-After), 500 or 503 instead of handling the request. Each request
 * takes the first fault that applies to its surface and still has uses left.
 */
export const FaultSchema = z.strictObject({
  /** `scim`: `/Users` and discovery; `token`: `/v1/token`; `rpc`: the RPC API at `/`; `all`: every one. */
  surface: z.enum(['scim', 'token', 'rpc', 'all']).default('scim'),
  latencyMs: z.int().min(0).max(120_000).optional(),
  status: z.union([z.literal(429), z.literal(500), z.literal(503)]).optional(),
  /** Sent as `Retry-After` with a 429 or 503; a 429 without it says 1. */
  retryAfterSeconds: z.int().min(0).optional(),
  /** How many requests the fault affects; without it, every request until cleared. */
  times: z.int().min(1).optional(),
});

export type FaultInput = z.input<typeof FaultSchema>;
export type Fault = z.output<typeof FaultSchema>;
export type FaultSurface = 'scim' | 'token' | 'rpc';

export interface ActiveFault extends Fault {
  id: number;
  /** Requests it affected so far. */
  hits: number;
}

export interface FaultInjector {
  add(input: FaultInput): ActiveFault;
  list(): ActiveFault[];
  clear(): void;
  /** The fault this request meets (its use counted), or undefined. */
  take(surface: FaultSurface): Fault | undefined;
}

export function createFaultInjector(): FaultInjector {
  let faults: ActiveFault[] = [];
  let nextId = 1;
  return {
    add(input) {
      const fault: ActiveFault = { ...FaultSchema.parse(input), id: nextId++, hits: 0 };
      faults.push(fault);
      return { ...fault };
    },
    list: () => faults.map((fault) => ({ ...fault })),
    clear() {
      faults = [];
    },
    take(surface) {
      const fault = faults.find((candidate) => candidate.surface === 'all' || candidate.surface === surface);
      if (fault === undefined) return undefined;
      fault.hits++;
      if (fault.times !== undefined && fault.hits >= fault.times) {
        faults = faults.filter((candidate) => candidate !== fault);
      }
      const { id: _id, hits: _hits, ...applied } = fault;
      return applied;
    },
  };
}
