import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../../storage/database-schema.ts';
import type { LinkState } from '../engine/link-repository.ts';

/** A user link as reconciliation needs it, from any provisioning of the same target. */
export interface AccountLink {
  readonly provisioningId: string;
  readonly objectId: string;
  readonly accountId: string;
  readonly state: LinkState;
  readonly pushed: Readonly<Record<string, unknown>>;
}

export const LIVE_STATES: readonly LinkState[] = ['creating', 'active', 'disabled'];

/**
 * Link lookups across every provisioning that writes to one target: an account another provisioning
 * of the same target links is that provisioning's, not an orphan of this one.
 */
export function createReconciliationLinkQueries(db: Kysely<DatabaseSchema>) {
  return {
    /** User links (any state) to these accounts, from every provisioning of `targetId`. */
    async linksToAccounts(targetId: string, accountIds: readonly string[]): Promise<AccountLink[]> {
      if (accountIds.length === 0) return [];
      const rows = await db
        .selectFrom('links')
        .innerJoin('provisionings', 'provisionings.id', 'links.provisioning_id')
        .select([
          'links.provisioning_id',
          'links.object_id',
          'links.account_id',
          'links.state',
          'links.pushed',
        ])
        .where('provisionings.target_id', '=', targetId)
        .where('links.object_type', '=', 'User')
        .where('links.account_id', 'in', [...accountIds])
        .execute();
      return rows.map((row) => ({
        provisioningId: row.provisioning_id,
        objectId: row.object_id,
        accountId: row.account_id ?? '',
        state: row.state as LinkState,
        pushed: pushedOf(row.pushed),
      }));
    },

    /**
     * The userNames of this provisioning's creates in flight (a link `creating`, no account id yet): an
     * account the listing shows under such a name may be that create, not an orphan.
     */
    async namesBeingCreated(provisioningId: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('links')
        .select('pushed')
        .where('provisioning_id', '=', provisioningId)
        .where('object_type', '=', 'User')
        .where('state', '=', 'creating')
        .execute();
      const names = new Set<string>();
      for (const row of rows) {
        const userName = pushedOf(row.pushed).userName;
        if (typeof userName === 'string') names.add(userName.toLowerCase());
      }
      return names;
    },
  };
}

export type ReconciliationLinkQueries = ReturnType<typeof createReconciliationLinkQueries>;

function pushedOf(value: unknown): Record<string, unknown> {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}
