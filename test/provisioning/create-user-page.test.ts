/**
 * The quick create of a full-push page (create-user-page.ts) against a target in memory: OR-ed
 * lookups that send only the matched users one by one, the `creating` marks before any create,
 * `POST /Bulk` and what happens when the target refuses it or does not answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileProvisioning } from '../../src/provisioning/compile-provisioning.ts';
import type { CompiledProvisioning } from '../../src/provisioning/engine/compiled-provisioning.ts';
import {
  type CreateCandidate,
  type CreatePageOptions,
  createUserPage,
} from '../../src/provisioning/engine/create-user-page.ts';
import type { SavedLink } from '../../src/provisioning/engine/link-repository.ts';
import type { OperationRecord } from '../../src/provisioning/engine/provisioning-log-writer.ts';
import type { ReconcileContext } from '../../src/provisioning/engine/reconcile-outcome.ts';
import type { BulkCreateOutcome } from '../../src/targets/adapters/bulk-create.ts';
import type { ScimTargetAdapter, TargetAccount } from '../../src/targets/adapters/scim-target-adapter.ts';
import { LOCKSTEP_PROFILE } from '../../src/targets/profiles/lockstep-profile.ts';
import {
  createScimClientError,
  type ScimClientError,
} from '../../src/targets/scim-client/scim-client-error.ts';

const compiled = compileProvisioning(
  { id: 'prv_page', tenant_id: 'acme', target_id: 'tgt_page', status: 'enabled' },
  {},
  LOCKSTEP_PROFILE,
);
assert.ok(compiled.ok);
const provisioning: CompiledProvisioning = compiled.compiled;

const refusal = (status: number, kind: ScimClientError['kind']): ScimClientError =>
  createScimClientError({
    kind,
    phase: 'scim',
    status,
    request: 'POST /Bulk',
    message: `answered ${status}`,
  });
const reset = createScimClientError({
  kind: 'unreachable',
  phase: 'scim',
  request: 'POST /Bulk',
  message: 'the connection was reset',
});

/** A target in memory; `existing` userNames have an account before the push. */
function createTarget(options: {
  existing?: string[];
  lookupError?: ScimClientError;
  bulk?: (documents: readonly Record<string, unknown>[]) => BulkCreateOutcome | undefined;
}) {
  const accounts = new Map<string, Record<string, unknown>>();
  for (const userName of options.existing ?? []) accounts.set(`pre-${userName}`, { userName });
  const calls: string[] = [];
  let next = 1;
  const make = (document: Record<string, unknown>): TargetAccount => {
    const id = `acc-${next++}`;
    accounts.set(id, document);
    return { id, document };
  };
  const adapter = {
    async findUsers(filter: string) {
      calls.push(`find ${filter.split(' or ').length}`);
      if (options.lookupError !== undefined) return { ok: false, error: options.lookupError } as const;
      const values = new Set([...filter.matchAll(/"([^"]*)"/g)].map((match) => match[1]));
      const found = [...accounts.entries()]
        .filter(([, document]) => values.has(document.userName as string))
        .map(([id, document]) => ({ id, document }));
      return { ok: true, value: found } as const;
    },
    async createUser(document: Record<string, unknown>) {
      calls.push('create');
      return { ok: true, value: make(document) } as const;
    },
    async createUsersInBulk(documents: readonly Record<string, unknown>[]): Promise<BulkCreateOutcome> {
      calls.push(`bulk ${documents.length}`);
      return (
        options.bulk?.(documents) ?? {
          results: documents.map((document) => ({ ok: true, value: make(document) }) as const),
          unanswered: undefined,
        }
      );
    },
  };
  return { adapter: adapter as unknown as ScimTargetAdapter, accounts, calls };
}

function candidates(count: number): CreateCandidate[] {
  return Array.from({ length: count }, (_, index) => {
    const id = `u${index}`;
    const user = { id, doc: { id, userName: `user${index}@example.com`, active: true }, groupIds: [] };
    const projection = provisioning.project(user, 'create');
    const matching = provisioning.matchFilters(user);
    assert.ok(projection.ok && matching.ok);
    return {
      user,
      document: projection.document,
      attributes: projection.attributes,
      filters: matching.filters,
      started: performance.now(),
    };
  });
}

async function push(
  target: ReturnType<typeof createTarget>,
  count: number,
  options: Partial<CreatePageOptions> = {},
) {
  const logged: OperationRecord[] = [];
  const marks: SavedLink[] = [];
  const context = {
    provisioning,
    adapter: target.adapter,
    log: { record: async (operation: OperationRecord) => void logged.push(operation) },
    runId: 'run_1',
    attempt: 1,
    maxAttempts: 10,
  } as unknown as ReconcileContext;
  const outcome = await createUserPage(context, candidates(count), {
    batchLookups: true,
    bulk: true,
    signal: new AbortController().signal,
    markCreating: async (links) => {
      target.calls.push(`mark ${links.length}`);
      marks.push(...links);
    },
    ...options,
  });
  return { outcome, logged, marks };
}

describe('creating a page of users', () => {
  it('looks them up in one query, marks them, creates them in one Bulk', async () => {
    const target = createTarget({});
    const { outcome, logged, marks } = await push(target, 5);
    assert.deepEqual(target.calls, ['find 5', 'mark 5', 'bulk 5']);
    assert.equal(
      marks.every((mark) => mark.state === 'creating' && mark.accountId === null),
      true,
    );
    assert.deepEqual(
      [...outcome.results.values()].map((result) => result.action),
      ['created', 'created', 'created', 'created', 'created'],
    );
    assert.equal(outcome.links.length, 5);
    assert.ok(outcome.links.every((link) => link.state === 'active' && link.accountId?.startsWith('acc-')));
    assert.deepEqual(
      logged.map((entry) => `${entry.action} ${entry.status}`),
      Array(5).fill('create success'),
    );
    assert.ok(logged.every((entry) => entry.durationMs !== undefined && entry.changes !== undefined));
    // A create modifies what it sets: the attributes the mapping left empty are not in its log entry.
    const mapped = outcome.links[0]?.pushed ?? {};
    const empty = Object.keys(mapped).filter((path) => mapped[path] === null || mapped[path] === undefined);
    assert.ok(empty.length > 0, 'the default mapping leaves some attributes of these users empty');
    assert.deepEqual(
      logged[0]?.changes,
      Object.fromEntries(
        Object.entries(mapped)
          .filter(([path]) => !empty.includes(path))
          .map(([path, value]) => [path, { old: null, new: value }]),
      ),
    );
    assert.equal(logged[0]?.changes?.userName?.new, 'user0@example.com');
  });

  it('sends only the users with a matching account one by one, after confirming the others', async () => {
    const target = createTarget({ existing: ['user3@example.com'] });
    const { outcome } = await push(target, 8);
    assert.deepEqual(outcome.delegated, ['u3']);
    // The first query found user3's account; the second, without user3, found none.
    assert.deepEqual(target.calls.slice(0, 2), ['find 8', 'find 7']);
    assert.equal(outcome.results.size, 7);
    assert.equal(outcome.results.has('u3'), false);
  });

  it('halves a group when no one of it is the likely match', async () => {
    // An account the filter values do not name (the target matched on something else).
    const target = createTarget({});
    let first = true;
    const findUsers = target.adapter.findUsers;
    (target.adapter as { findUsers: typeof findUsers }).findUsers = async (filter: string) => {
      if (first) {
        first = false;
        target.calls.push(`find ${filter.split(' or ').length}`);
        return { ok: true, value: [{ id: 'x', document: { userName: 'someone-else' } }] };
      }
      return findUsers(filter);
    };
    const { outcome } = await push(target, 4);
    assert.deepEqual(target.calls.slice(0, 3), ['find 4', 'find 2', 'find 2']);
    assert.deepEqual(outcome.delegated, []);
    assert.equal(outcome.results.size, 4);
  });

  it('asks one by one after a target refuses an OR-ed lookup', async () => {
    const target = createTarget({ lookupError: refusal(400, 'client_error') });
    const { outcome } = await push(target, 3);
    assert.equal(outcome.refused.batchLookups, true);
    assert.deepEqual(outcome.delegated.sort(), ['u0', 'u1', 'u2']);
    assert.deepEqual(target.calls, ['find 3']);
  });

  it('creates one by one when the target refuses Bulk, and says so', async () => {
    const target = createTarget({ bulk: () => ({ results: [], unanswered: refusal(501, 'server_error') }) });
    const { outcome } = await push(target, 3);
    assert.equal(outcome.refused.bulk, true);
    assert.deepEqual(target.calls, ['find 3', 'mark 3', 'bulk 3', 'create', 'create', 'create']);
    assert.equal(outcome.links.length, 3);
  });

  it('leaves every user of an unanswered Bulk to its retry, logged as a warning', async () => {
    const target = createTarget({ bulk: () => ({ results: [], unanswered: reset }) });
    const { outcome, logged, marks } = await push(target, 3);
    assert.equal(marks.length, 3, 'marked before the Bulk was sent');
    assert.deepEqual(
      [...outcome.results.values()].map((result) => result.outcome),
      ['retry', 'retry', 'retry'],
    );
    assert.equal(outcome.links.length, 0);
    assert.deepEqual(
      logged.map((entry) => `${entry.action} ${entry.status}`),
      Array(3).fill('create warning'),
    );
    assert.deepEqual(outcome.requestErrors, [reset]);
  });

  it('keeps the others of a Bulk when one create is refused', async () => {
    const target = createTarget({
      bulk: (documents) => ({
        results: documents.map((document, index) =>
          index === 1
            ? ({ ok: false, error: refusal(409, 'conflict') } as const)
            : ({ ok: true, value: { id: `acc-${index}`, document } } as const),
        ),
        unanswered: undefined,
      }),
    });
    const { outcome } = await push(target, 3);
    assert.equal(outcome.results.get('u1')?.outcome, 'retry', 'a conflict is looked at again');
    assert.equal(outcome.results.get('u0')?.outcome, 'done');
    assert.equal(outcome.results.get('u2')?.outcome, 'done');
    assert.deepEqual(
      outcome.links.map((link) => link.objectId),
      ['u0', 'u2'],
    );
  });

  it('sends nothing once the job is stopped, and hands the users back', async () => {
    const target = createTarget({});
    const stopped = new AbortController();
    stopped.abort();
    const { outcome } = await push(target, 3, { signal: stopped.signal });
    assert.deepEqual(target.calls, []);
    assert.deepEqual(outcome.unsent, ['u0', 'u1', 'u2']);
  });
});
