/** The fault proxy in its own process (fault-proxy-main.ts), driven over its /_proxy control API. */
import { join } from 'node:path';
import type { FaultPlan } from '../support/fault-plan.ts';
import type { JournalEntry } from '../support/fault-proxy.ts';
import { spawnWatched } from './spawn-watched.ts';

const MAIN = join(import.meta.dirname, 'fault-proxy-main.ts');

export interface FaultProxyProcess {
  readonly url: string;
  /** Replaces the plan (paths as regular-expression source strings: the plan travels as JSON). */
  setPlan(plan: FaultPlan): Promise<void>;
  journal(): Promise<JournalEntry[]>;
  /** Empties the journal and goes back to pass-through. */
  reset(): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

export async function startFaultProxyProcess(options: {
  target: string;
  port?: number;
}): Promise<FaultProxyProcess> {
  const proxy = spawnWatched([MAIN, '--target', options.target, '--port', String(options.port ?? 0)]);
  const url = (await proxy.waitFor(/listening on (http:\/\/\S+)/, 15_000))[1] ?? '';
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/_proxy${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`fault proxy ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  };
  return {
    url,
    async setPlan(plan) {
      const rules = (plan.rules ?? []).map((rule) => {
        if (!(rule.path instanceof RegExp)) return rule;
        if (rule.path.flags !== '') throw new RangeError('A plan for another process takes no RegExp flags');
        return { ...rule, path: rule.path.source };
      });
      await control('PUT', '/plan', { ...plan, rules });
    },
    journal: async () => (await control('GET', '/journal')) as JournalEntry[],
    reset: async () => {
      await control('POST', '/reset');
    },
    output: proxy.output,
    stop: () => proxy.kill('SIGTERM'),
  };
}
