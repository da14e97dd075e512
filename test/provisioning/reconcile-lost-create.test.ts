/**
 * Regression: a create whose answer was lost (the target made the account, the engine saw a reset)
 * followed by a rename in the directory before the retry. The retry looked for the account only
 * under the new userName, found nothing and created a second account.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compileProvisioning } from '../../src/provisioning/compile-provisioning.ts';
import { createAccountBackups } from '../../src/provisioning/deprovisioning/account-backups.ts';
import { createDeletionGuard } from '../../src/provisioning/deprovisioning/deletion-guard.ts';
import type { CompiledProvisioning } from '../../src/provisioning/engine/compiled-provisioning.ts';
import { createLinkRepository } from '../../src/provisioning/engine/link-repository.ts';
import { createProvisioningLogWriter } from '../../src/provisioning/engine/provisioning-log-writer.ts';
import { type ReconcileContext, reconcileUser } from '../../src/provisioning/engine/reconcile-user.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import type {
  PatchOperation,
  ScimTargetAdapter,
  TargetAccount,
} from '../../src/targets/adapters/scim-target-adapter.ts';
import { LOCKSTEP_PROFILE } from '../../src/targets/profiles/lockstep-profile.ts';
import { createScimClientError } from '../../src/targets/scim-client/scim-client-error.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const sqlite = dialects[0];

/** A target in memory whose next create takes effect but whose answer is lost. */
function createFlakyTarget() {
  const accounts = new Map<string, Record<string, unknown>>();
  let loseNextCreateAnswer = false;
  let next = 1;
  const lost = (method: string) =>
    ({
      ok: false,
      error: createScimClientError({
        kind: 'unreachable',
        phase: 'scim',
        request: `${method} /Users`,
        message: 'the connection was reset',
        networkCode: 'ECONNRESET',
      }),
    }) as const;
  const adapter = {
    async findUsers(filter: string) {
      const userName = /^userName eq "(.*)"$/.exec(filter)?.[1];
      const found: TargetAccount[] = [...accounts.entries()]
        .filter(([, document]) => document.userName === userName)
        .map(([id, document]) => ({ id, document }));
      return { ok: true, value: found } as const;
    },
    async createUser(document: Record<string, unknown>) {
      const id = `acc-${next++}`;
      accounts.set(id, { ...document, id });
      if (loseNextCreateAnswer) {
        loseNextCreateAnswer = false;
        return lost('POST');
      }
      return { ok: true, value: { id, document } } as const;
    },
    async updateUser(id: string, operations: readonly PatchOperation[]) {
      const account = accounts.get(id);
      if (account === undefined) return { ok: true, value: undefined } as const;
      for (const operation of operations)
        if (operation.op === 'replace' && !operation.path.includes('.') && !operation.path.includes('['))
          account[operation.path] = operation.value;
      return { ok: true, value: undefined } as const;
    },
    async deleteUser(id: string) {
      return { ok: true, value: accounts.delete(id) ? 'deleted' : 'absent' } as const;
    },
  };
  return {
    adapter: adapter as unknown as ScimTargetAdapter,
    accounts,
    loseNextCreateAnswer: () => {
      loseNextCreateAnswer = true;
    },
  };
}

describe('a lost create answer, then a rename', { skip: sqlite === undefined }, () => {
  let storage: Storage;
  let provisioning: CompiledProvisioning;
  before(async () => {
    storage = await (sqlite as NonNullable<typeof sqlite>).open();
    const compiled = compileProvisioning(
      { id: 'prv_lost', tenant_id: 'acme', target_id: 'tgt_lost', status: 'enabled' },
      {},
      LOCKSTEP_PROFILE,
    );
    assert.ok(compiled.ok);
    provisioning = compiled.compiled;
  });
  after(() => storage?.close());

  it('adopts the account the first create made instead of creating a second one', async () => {
    const target = createFlakyTarget();
    const context = (attempt: number): ReconcileContext => ({
      provisioning,
      adapter: target.adapter,
      links: createLinkRepository(storage.db),
      log: createProvisioningLogWriter(storage.db),
      runId: null,
      attempt,
      maxAttempts: 10,
      native: undefined,
      deprovisioning: { guard: createDeletionGuard(storage), backups: createAccountBackups(storage.db) },
    });
    const user = (userName: string) => ({
      id: 'u-1',
      doc: { id: 'u-1', userName, displayName: 'Ann', active: true },
      groupIds: [],
    });

    target.loseNextCreateAnswer();
    const first = await reconcileUser(context(1), 'u-1', user('ann@example.com'));
    assert.equal(first.outcome, 'retry');
    assert.equal(target.accounts.size, 1, 'the target made the account');

    // Renamed in the directory before the retry ran.
    const second = await reconcileUser(context(2), 'u-1', user('ann.smith@example.com'));
    assert.deepEqual(second, { outcome: 'done', action: 'created' }, 'counted as the create it was');
    assert.equal(target.accounts.size, 1, 'no second account');
    const [account] = [...target.accounts.values()];
    assert.equal(account?.userName, 'ann.smith@example.com', 'the adopted account is renamed');
    const link = await createLinkRepository(storage.db).find(provisioning.id, 'User', 'u-1');
    assert.equal(link?.state, 'active');
    assert.equal(link?.accountId, account?.id);
  });
});
