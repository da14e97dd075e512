import type { Storage } from '../storage/open-storage.ts';

/** The paused groups (quarantined targets), kept in `job_paused_groups` by either queue implementation. */
export function pausedGroupsStore(storage: Storage) {
  return {
    async pause(group: string): Promise<void> {
      await storage.write((trx) =>
        trx
          .insertInto('job_paused_groups')
          .values({ group_name: group, paused_at: new Date().toISOString() })
          .onConflict((conflict) => conflict.column('group_name').doNothing())
          .execute(),
      );
    },
    async resume(group: string): Promise<void> {
      await storage.write((trx) =>
        trx.deleteFrom('job_paused_groups').where('group_name', '=', group).execute(),
      );
    },
    async list(): Promise<string[]> {
      const rows = await storage.db
        .selectFrom('job_paused_groups')
        .select('group_name')
        .orderBy('group_name')
        .execute();
      return rows.map((row) => row.group_name);
    },
  };
}
