import type { Storage } from '../storage/open-storage.ts';

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** Read models of the engine's tables for the admin API: the log, failed events and links. */
export function createProvisioningQueries(storage: Storage) {
  const db = storage.db;
  return {
    async log(
      provisioningId: string,
      filter: {
        object?: string | undefined;
        action?: string | undefined;
        status?: string | undefined;
        from?: string | undefined;
        to?: string | undefined;
        limit?: number | undefined;
      },
    ) {
      let query = db.selectFrom('provisioning_log').selectAll().where('provisioning_id', '=', provisioningId);
      if (filter.object !== undefined) query = query.where('object_id', '=', filter.object);
      if (filter.action !== undefined) query = query.where('action', '=', filter.action);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status as 'success');
      if (filter.from !== undefined) query = query.where('at', '>=', new Date(filter.from).toISOString());
      if (filter.to !== undefined) query = query.where('at', '<', new Date(filter.to).toISOString());
      const rows = await query
        .orderBy('seq', 'desc')
        .limit(filter.limit ?? 100)
        .execute();
      return rows.map((row) => ({
        id: String(row.seq),
        at: row.at,
        runId: row.run_id,
        objectType: row.object_type,
        objectId: row.object_id,
        accountId: row.account_id,
        action: row.action,
        status: row.status,
        attempt: row.attempt,
        targetStatus: row.target_status,
        changes: json(row.changes),
        message: row.message,
        durationMs: row.duration_ms,
      }));
    },
    async events(provisioningId: string) {
      const rows = await db
        .selectFrom('provisioning_events')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .orderBy('last_attempt_at', 'desc')
        .limit(1000)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        objectType: row.object_type,
        objectId: row.object_id,
        action: row.action,
        errorCode: row.error_code,
        errorMessage: row.error_message,
        errorCount: row.error_count,
        firstFailedAt: row.first_failed_at,
        lastAttemptAt: row.last_attempt_at,
      }));
    },
    async event(provisioningId: string, eventId: string) {
      return db
        .selectFrom('provisioning_events')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .where('id', '=', eventId)
        .executeTakeFirst();
    },
    async deleteEvent(provisioningId: string, eventId: string): Promise<boolean> {
      const result = await db
        .deleteFrom('provisioning_events')
        .where('provisioning_id', '=', provisioningId)
        .where('id', '=', eventId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    /** Statistics of provisionings (one, or every one of a target): links by state, failed events, latest sync. */
    async statistics(provisioningIds: readonly string[]) {
      if (provisioningIds.length === 0) return { links: {}, failedEvents: 0, latestSyncAt: null };
      const states = await db
        .selectFrom('links')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('provisioning_id', 'in', provisioningIds)
        .groupBy('state')
        .execute();
      const failed = await db
        .selectFrom('provisioning_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('provisioning_id', 'in', provisioningIds)
        .executeTakeFirst();
      const latest = await db
        .selectFrom('provisioning_log')
        .select((eb) => eb.fn.max('at').as('at'))
        .where('provisioning_id', 'in', provisioningIds)
        .where('status', '=', 'success')
        .executeTakeFirst();
      return {
        links: Object.fromEntries(states.map((row) => [row.state, Number(row.n)])),
        failedEvents: Number(failed?.n ?? 0),
        latestSyncAt: (latest?.at as string | null | undefined) ?? null,
      };
    },
    /** Links in (type, object id) order, a page at a time: `after` is the previous page's `nextCursor`. */
    async links(
      provisioningId: string,
      options: { objectId?: string | undefined; after?: string | undefined; limit?: number | undefined } = {},
    ) {
      let query = db.selectFrom('links').selectAll().where('provisioning_id', '=', provisioningId);
      if (options.objectId !== undefined) query = query.where('object_id', '=', options.objectId);
      if (options.after !== undefined) {
        const [type = '', id = ''] = Buffer.from(options.after, 'base64url').toString('utf8').split('\u0000');
        query = query.where((eb) =>
          eb.or([
            eb('object_type', '>', type as 'User'),
            eb.and([eb('object_type', '=', type as 'User'), eb('object_id', '>', id)]),
          ]),
        );
      }
      const limit = options.limit ?? 1000;
      const rows = await query
        .orderBy('object_type')
        .orderBy('object_id')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > limit && last !== undefined
          ? Buffer.from(`${last.object_type}\u0000${last.object_id}`).toString('base64url')
          : null;
      return {
        nextCursor,
        items: page.map((row) => ({
          objectType: row.object_type,
          objectId: row.object_id,
          accountId: row.account_id,
          state: row.state,
          createdByUs: row.created_by_us === 1,
          pushed: json(row.pushed),
          lastError: row.last_error,
          updatedAt: row.updated_at,
        })),
      };
    },
  };
}

export type ProvisioningQueries = ReturnType<typeof createProvisioningQueries>;
