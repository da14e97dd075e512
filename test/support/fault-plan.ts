/**
 * What the fault proxy (fault-proxy.ts) does to each request: an ordered list of rules, the first
 * that matches a request decides its fault; a request no rule takes passes through untouched.
 * Plans are plain JSON (paths as regular-expression source) so a test can send one to a proxy
 * running in another process; in-process a path may also be a RegExp.
 */
import { z } from 'zod';

/** Where a reset or a hang happens: before the target sees the request, or after it answered. */
const WhenSchema = z.enum(['before-forward', 'after-forward']);

export const FaultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pass') }),
  /** Answers `status` itself (429, 500, 503…) without forwarding; a SCIM error body unless `body` is given. */
  z.strictObject({
    kind: z.literal('status'),
    status: z.number().int().min(100).max(599),
    /** Seconds (or an HTTP date) for a `Retry-After` header. */
    retryAfter: z.union([z.number().int().min(0), z.string().min(1)]).optional(),
    body: z.string().optional(),
  }),
  /** Never answers (the client must time out); `after-forward`: the target did the work first. */
  z.strictObject({ kind: z.literal('hang'), when: WhenSchema.default('before-forward') }),
  /** Resets the client's connection (TCP RST); `after-forward`: the target did the work first. */
  z.strictObject({ kind: z.literal('reset'), when: WhenSchema.default('before-forward') }),
  /** Waits `delayMs` before forwarding, then sends the answer in `chunkBytes` pieces `chunkDelayMs` apart. */
  z.strictObject({
    kind: z.literal('slow'),
    delayMs: z.number().int().min(0).default(0),
    chunkDelayMs: z.number().int().min(0).default(0),
    chunkBytes: z.number().int().min(1).default(64),
  }),
]);

export const FaultRuleSchema = z.strictObject({
  /** HTTP method, case-insensitive; any when absent. */
  method: z.string().min(1).optional(),
  /** Regular expression (source) tested against the path with its query string; any when absent. */
  path: z.string().min(1).optional(),
  /**
   * 1-based positions among the requests this rule's method and path match (e.g. `[1, 3]`), counted
   * whether or not an earlier rule took them.
   */
  nth: z.union([z.number().int().min(1), z.array(z.number().int().min(1))]).optional(),
  /** Chance (0–1) of applying to a matching request, drawn from the plan's seeded generator. */
  probability: z.number().min(0).max(1).optional(),
  /** Applies at most this many times, then lets requests fall through to the next rules. */
  times: z.number().int().min(1).optional(),
  fault: FaultSchema,
});

export const FaultPlanSchema = z.strictObject({
  rules: z.array(FaultRuleSchema).default([]),
  /** Seed of the generator behind `probability`: the same plan and requests give the same faults. */
  seed: z.number().int().default(1),
});

export type Fault = z.output<typeof FaultSchema>;
/** A fault as a test writes it (defaults may be left out). */
export type FaultInput = z.input<typeof FaultSchema>;
export type FaultRule = Omit<z.input<typeof FaultRuleSchema>, 'path'> & { path?: string | RegExp };
export interface FaultPlan {
  readonly rules?: readonly FaultRule[];
  readonly seed?: number;
}

export interface FaultDecision {
  readonly fault: Fault;
  /** Index of the rule that chose it; undefined for a pass-through no rule took. */
  readonly rule: number | undefined;
}

/** mulberry32: a tiny seeded generator, enough to make "probability" faults reproducible. */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface CompiledRule {
  readonly method: string | undefined;
  readonly path: RegExp | undefined;
  readonly nth: ReadonlySet<number> | undefined;
  readonly probability: number | undefined;
  readonly times: number | undefined;
  readonly fault: Fault;
  seen: number;
  applied: number;
}

/**
 * Validates a plan and returns the decider that picks each request's fault: the first rule, in order,
 * whose method, path, `nth`, `times` and `probability` all hold. Stateful: it counts requests.
 */
export function compileFaultPlan(plan: FaultPlan): (method: string, path: string) => FaultDecision {
  const rules: CompiledRule[] = (plan.rules ?? []).map((rule) => {
    const { path, ...rest } = rule;
    const parsed = FaultRuleSchema.parse({ ...rest, ...(typeof path === 'string' ? { path } : {}) });
    return {
      method: parsed.method?.toUpperCase(),
      path: path instanceof RegExp ? path : parsed.path === undefined ? undefined : new RegExp(parsed.path),
      nth: parsed.nth === undefined ? undefined : new Set([parsed.nth].flat()),
      probability: parsed.probability,
      times: parsed.times,
      fault: parsed.fault,
      seen: 0,
      applied: 0,
    };
  });
  const random = createSeededRandom(plan.seed ?? 1);
  return (method, path) => {
    let chosen: FaultDecision | undefined;
    for (const [index, rule] of rules.entries()) {
      if (rule.method !== undefined && rule.method !== method.toUpperCase()) continue;
      if (rule.path !== undefined) {
        rule.path.lastIndex = 0; // a /g or /y RegExp would otherwise resume where it last matched
        if (!rule.path.test(path)) continue;
      }
      // Every rule counts every request it matches, whichever rule takes it: `nth: 2` is the second.
      rule.seen += 1;
      if (chosen !== undefined) continue;
      if (rule.nth !== undefined && !rule.nth.has(rule.seen)) continue;
      if (rule.times !== undefined && rule.applied >= rule.times) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      rule.applied += 1;
      chosen = { fault: rule.fault, rule: index };
    }
    if (chosen !== undefined) return chosen;
    return { fault: { kind: 'pass' }, rule: undefined };
  };
}
