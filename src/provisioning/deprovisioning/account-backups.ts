import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AccountBackupTable, DatabaseSchema } from '../../storage/database-schema.ts';

/** What an account looked like before a destructive step: its SCIM document and, where the target has a native API, its dependents. */
export interface AccountBackup {
  readonly id: string;
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly targetId: string;
  readonly objectId: string;
  readonly accountId: string;
  readonly userName: string | null;
  /** The step it was taken before: `delete`, `disable`, `revoke`. */
  readonly reason: string;
  readonly scimDocument: Readonly<Record<string, unknown>>;
  /** The native API's view (access-key ids and status, policies, groups, login-profile settings, MFA serial) — never secret values. */
  readonly native: Readonly<Record<string, unknown>> | null;
  readonly takenAt: string;
  readonly expiresAt: string;
  readonly restoredAt: string | null;
  readonly restoreReport: Readonly<Record<string, unknown>> | null;
}

export type NewBackup = Omit<
  AccountBackup,
  'id' | 'takenAt' | 'expiresAt' | 'restoredAt' | 'restoreReport'
> & {
  readonly retentionDays: number;
};

const PAGE_LIMIT = 200;

/** Backups taken before destructive steps, kept for the provisioning's retention period (default 30 days). */
export function createAccountBackups(db: Kysely<DatabaseSchema>) {
  return {
    async save(backup: NewBackup, now = new Date()): Promise<AccountBackup> {
      const { retentionDays, ...rest } = backup;
      const row: AccountBackupTable = {
        id: `bkp_${randomBytes(8).toString('hex')}`,
        tenant_id: rest.tenantId,
        provisioning_id: rest.provisioningId,
        target_id: rest.targetId,
        object_id: rest.objectId,
        account_id: rest.accountId,
        user_name: rest.userName,
        reason: rest.reason,
        scim_document: JSON.stringify(rest.scimDocument),
        native: rest.native === null ? null : JSON.stringify(rest.native),
        taken_at: now.toISOString(),
        expires_at: new Date(now.getTime() + retentionDays * 86_400_000).toISOString(),
        restored_at: null,
        restore_report: null,
      };
      await db.insertInto('account_backups').values(row).execute();
      return toBackup(row);
    },

    async find(tenantId: string, id: string): Promise<AccountBackup | undefined> {
      const row = await db
        .selectFrom('account_backups')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : toBackup(row);
    },

    /** The newest backup of an object's account on a provisioning (what a restore inside a grace period uses). */
    async latestFor(provisioningId: string, objectId: string): Promise<AccountBackup | undefined> {
      const row = await db
        .selectFrom('account_backups')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .where('object_id', '=', objectId)
        .orderBy('taken_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : toBackup(row);
    },

    /** Newest first, a page at a time (`before`: the last id of the previous page's `taken_at|id`). */
    async list(
      tenantId: string,
      filter: { provisioningId?: string; objectId?: string; before?: string; limit?: number },
    ): Promise<{ backups: AccountBackup[]; next: string | null }> {
      const limit = Math.min(filter.limit ?? 50, PAGE_LIMIT);
      let query = db.selectFrom('account_backups').selectAll().where('tenant_id', '=', tenantId);
      if (filter.provisioningId !== undefined)
        query = query.where('provisioning_id', '=', filter.provisioningId);
      if (filter.objectId !== undefined) query = query.where('object_id', '=', filter.objectId);
      if (filter.before !== undefined) {
        const [takenAt = '', id = ''] = filter.before.split('|');
        query = query.where((eb) =>
          eb.or([eb('taken_at', '<', takenAt), eb.and([eb('taken_at', '=', takenAt), eb('id', '<', id)])]),
        );
      }
      const rows = await query
        .orderBy('taken_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit).map(toBackup);
      const last = page[page.length - 1];
      return {
        backups: page,
        next: rows.length > limit && last !== undefined ? `${last.takenAt}|${last.id}` : null,
      };
    },

    async markRestored(id: string, report: Readonly<Record<string, unknown>>): Promise<void> {
      await db
        .updateTable('account_backups')
        .set({ restored_at: new Date().toISOString(), restore_report: JSON.stringify(report) })
        .where('id', '=', id)
        .execute();
    },

    /** Deletes backups past their retention; returns how many went. */
    async purgeExpired(now = new Date()): Promise<number> {
      const result = await db
        .deleteFrom('account_backups')
        .where('expires_at', '<', now.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type AccountBackups = ReturnType<typeof createAccountBackups>;

function parse(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
}

function toBackup(row: Selectable<AccountBackupTable>): AccountBackup {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    provisioningId: row.provisioning_id,
    targetId: row.target_id,
    objectId: row.object_id,
    accountId: row.account_id,
    userName: row.user_name,
    reason: row.reason,
    scimDocument: parse(row.scim_document) ?? {},
    native: parse(row.native),
    takenAt: row.taken_at,
    expiresAt: row.expires_at,
    restoredAt: row.restored_at,
    restoreReport: parse(row.restore_report),
  };
}
