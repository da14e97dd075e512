import type { Kysely } from 'kysely';
import type { DatabaseSchema, LinkTable } from '../../storage/database-schema.ts';

export type LinkState = 'creating' | 'active' | 'disabled' | 'deleted' | 'kept';

export interface Link {
  readonly provisioningId: string;
  readonly objectType: 'User' | 'Group';
  readonly objectId: string;
  readonly tenantId: string;
  readonly accountId: string | null;
  readonly state: LinkState;
  readonly createdByUs: boolean;
  /** Target attributes last pushed, by target path. */
  readonly pushed: Readonly<Record<string, unknown>>;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The durable record "directory object X is account Y on the provisioning's target". */
export function createLinkRepository(db: Kysely<DatabaseSchema>) {
  return {
    async find(
      provisioningId: string,
      objectType: 'User' | 'Group',
      objectId: string,
    ): Promise<Link | undefined> {
      const row = await db
        .selectFrom('links')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .where('object_type', '=', objectType)
        .where('object_id', '=', objectId)
        .executeTakeFirst();
      return row === undefined ? undefined : toLink(row);
    },

    async findByAccount(provisioningId: string, accountId: string): Promise<Link | undefined> {
      const row = await db
        .selectFrom('links')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return row === undefined ? undefined : toLink(row);
    },

    /** Inserts or replaces the link. */
    async save(link: Omit<Link, 'createdAt' | 'updatedAt'> & { createdAt?: string }): Promise<void> {
      const now = new Date().toISOString();
      const row: LinkTable = {
        provisioning_id: link.provisioningId,
        object_type: link.objectType,
        object_id: link.objectId,
        tenant_id: link.tenantId,
        account_id: link.accountId,
        state: link.state,
        created_by_us: link.createdByUs ? 1 : 0,
        pushed: JSON.stringify(link.pushed),
        last_error: link.lastError,
        created_at: link.createdAt ?? now,
        updated_at: now,
      };
      await db
        .insertInto('links')
        .values(row)
        .onConflict((conflict) =>
          conflict.columns(['provisioning_id', 'object_type', 'object_id']).doUpdateSet({
            account_id: row.account_id,
            state: row.state,
            created_by_us: row.created_by_us,
            pushed: row.pushed,
            last_error: row.last_error,
            updated_at: row.updated_at,
          }),
        )
        .execute();
    },

    /** Links still holding an account (not deleted or kept), a page at a time in object-id order. */
    async listLive(
      provisioningId: string,
      objectType: 'User' | 'Group',
      after: string,
      limit: number,
    ): Promise<Link[]> {
      const rows = await db
        .selectFrom('links')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .where('object_type', '=', objectType)
        .where('state', 'in', ['creating', 'active', 'disabled'])
        .where('object_id', '>', after)
        .orderBy('object_id')
        .limit(limit)
        .execute();
      return rows.map(toLink);
    },

    async countByState(provisioningId: string): Promise<Record<string, number>> {
      const rows = await db
        .selectFrom('links')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('provisioning_id', '=', provisioningId)
        .groupBy('state')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
    },
  };
}

export type LinkRepository = ReturnType<typeof createLinkRepository>;

function toLink(row: LinkTable): Link {
  return {
    provisioningId: row.provisioning_id,
    objectType: row.object_type,
    objectId: row.object_id,
    tenantId: row.tenant_id,
    accountId: row.account_id,
    state: row.state as LinkState,
    createdByUs: row.created_by_us === 1,
    pushed: (typeof row.pushed === 'string' ? JSON.parse(row.pushed) : (row.pushed ?? {})) as Record<
      string,
      unknown
    >,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
