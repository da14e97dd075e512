import { performance } from 'node:perf_hooks';
import { createAppService } from '../src/auth/app-service.ts';
import { createTenantRepository } from '../src/auth/tenant-repository.ts';
import { createGroupRepository } from '../src/directory/group-repository.ts';
import { createMembershipRepository } from '../src/directory/membership-repository.ts';
import { createUserRepository, type UserRecord } from '../src/directory/user-repository.ts';
import { openStorage, type Storage, type StorageConfig } from '../src/storage/open-storage.ts';
import { assertCanonicalSample } from './assert-canonical-sample.ts';
import {
  benchGroupId,
  benchUserId,
  buildGroupRecord,
  buildUserRecord,
  groupMemberNumbers,
} from './seed-documents.ts';

export const BENCH_TENANT = 'bench';
/** Rows per multi-row INSERT (`insertMany`). */
const INSERT_BATCH = 500;
/** Users per transaction unless told otherwise: a bulk import commits in large steps (fewer, larger WAL appends). */
export const DEFAULT_TRANSACTION_ROWS = 50_000;
const GROUP_TRANSACTION_BATCH = 1000;

export interface SeedCounts {
  readonly users: number;
  readonly groups: number;
  /** Users per transaction (a multiple of the 500-row INSERT batch is best). */
  readonly transactionRows?: number;
}

export interface SeedResult {
  readonly tenantId: string;
  /** A bearer token of the tenant, for the load phase. */
  readonly token: string;
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
  /** Wall time of the whole seeding: open and migrate, tenant, users, groups, members, close. */
  readonly seconds: number;
  /** CPU time the seeding process spent meanwhile (less sensitive to a busy machine than wall time). */
  readonly cpuSeconds: number;
  readonly userSeconds: number;
  readonly groupSeconds: number;
}

/**
 * Seeds the store directly (no HTTP): one tenant and an app whose secret serves as bearer token, then users and
 * groups through the repositories' `insertMany`, in transactions of a few thousand rows.
 */
export async function seedDirectory(
  config: StorageConfig,
  counts: SeedCounts,
  onProgress: (message: string) => void = () => {},
): Promise<SeedResult> {
  assertCanonicalSample(counts.users, counts.groups);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const storage = await openStorage(config);
  try {
    await createTenantRepository(storage.db).insert({
      id: BENCH_TENANT,
      display_name: 'Benchmark tenant',
      status: 'active',
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    });
    // An app whose secret is also accepted as a static bearer token (how Entra's "Secret Token" works).
    const apps = createAppService(storage, {
      events: { credentialsChanged: async () => {}, onChange: () => {} },
    });
    const { secret } = await apps.createApp(BENCH_TENANT, {
      name: 'bench',
      scopes: ['scim'],
      secretAsBearer: true,
    });
    const token = secret.value;

    const usersStarted = performance.now();
    await seedUsers(storage, counts.users, counts.transactionRows ?? DEFAULT_TRANSACTION_ROWS, onProgress);
    const userSeconds = (performance.now() - usersStarted) / 1000;

    const groupsStarted = performance.now();
    const memberships = await seedGroups(storage, counts);
    const groupSeconds = (performance.now() - groupsStarted) / 1000;
    onProgress(`${counts.groups} groups, ${memberships} memberships in ${groupSeconds.toFixed(1)} s`);

    await storage.close();
    const cpu = process.cpuUsage(cpuBefore);
    return {
      tenantId: BENCH_TENANT,
      token,
      users: counts.users,
      groups: counts.groups,
      memberships,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      userSeconds,
      groupSeconds,
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}

async function seedUsers(
  storage: Storage,
  users: number,
  transactionRows: number,
  onProgress: (message: string) => void,
): Promise<void> {
  const started = performance.now();
  const reportEvery = Math.max(transactionRows, Math.ceil(users / 10 / transactionRows) * transactionRows);
  for (let first = 1; first <= users; first += transactionRows) {
    const last = Math.min(users, first + transactionRows - 1);
    await storage.db.transaction().execute(async (trx) => {
      const repository = createUserRepository(trx, storage.dialect);
      for (let start = first; start <= last; start += INSERT_BATCH) {
        const batch: UserRecord[] = [];
        for (let n = start; n <= Math.min(last, start + INSERT_BATCH - 1); n++)
          batch.push(buildUserRecord(n));
        await repository.insertMany(BENCH_TENANT, batch);
      }
    });
    if (last % reportEvery === 0 || last === users) {
      const seconds = (performance.now() - started) / 1000;
      onProgress(`${last} users in ${seconds.toFixed(1)} s (${Math.round(last / seconds)} users/s)`);
    }
  }
}

/** Groups, then their members (users spread over the whole range); returns the membership count. */
async function seedGroups(storage: Storage, counts: SeedCounts): Promise<number> {
  let memberships = 0;
  for (let first = 1; first <= counts.groups; first += GROUP_TRANSACTION_BATCH) {
    const last = Math.min(counts.groups, first + GROUP_TRANSACTION_BATCH - 1);
    memberships += await storage.db.transaction().execute(async (trx) => {
      const groups = createGroupRepository(trx, storage.dialect);
      const members = createMembershipRepository(trx, storage.dialect);
      for (let start = first; start <= last; start += INSERT_BATCH) {
        const end = Math.min(last, start + INSERT_BATCH - 1);
        const batch = [];
        for (let g = start; g <= end; g++) batch.push(buildGroupRecord(g));
        await groups.insertMany(BENCH_TENANT, batch);
      }
      let added = 0;
      for (let g = first; g <= last; g++) {
        const users = counts.users > 0 ? groupMemberNumbers(g, counts.users) : [];
        added += await members.add(
          BENCH_TENANT,
          benchGroupId(g),
          users.map((n) => ({ value: benchUserId(n), type: 'User' as const })),
        );
      }
      return added;
    });
  }
  return memberships;
}
