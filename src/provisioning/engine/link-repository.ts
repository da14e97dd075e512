import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { DatabaseSchema, LinkTable } from '../../storage/database-schema.ts';
import { preparedInsert } from '../../storage/prepared-insert.ts';

export type LinkState = 'creating' | 'active' | 'disabled' | 'deleted' | 'kept';

export interface LinkRemoval {
  readonly state: 'blocked' | 'staged' | 'kept-by-policy';
  /** What the removal was (delete, disable, …) and why it waits: blocking states and the steps to clear them. */
  readonly detail: Readonly<Record<string, unknown>>;
  readonly since: string;
}

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
  /** A disable-then-delete account is deleted at this time unless restored or back in scope. */
  readonly deleteAfter?: string | null;
  /** A removal that could not run yet (`blocked` by target state, `staged` by the deletion guard) or was kept by policy. */
  readonly removal?: LinkRemoval | null;
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

    /** The links of many objects at once (a page of a full push), by object id. */
    async findMany(
      provisioningId: string,
      objectType: 'User' | 'Group',
      objectIds: readonly string[],
    ): Promise<Map<string, Link>> {
      const found = new Map<string, Link>();
      for (let start = 0; start < objectIds.length; start += IN_LIST_CHUNK) {
        const rows = await db
          .selectFrom('links')
          .selectAll()
          .where('provisioning_id', '=', provisioningId)
          .where('object_type', '=', objectType)
          .where('object_id', 'in', objectIds.slice(start, start + IN_LIST_CHUNK))
          .execute();
        for (const row of rows) found.set(row.object_id, toLink(row));
      }
      return found;
    },

    /** Inserts or replaces the link. */
    async save(link: SavedLink): Promise<void> {
      await saveLinks(db, [link]);
    },

    /** Inserts or replaces many links, a statement per chunk; with `trx`, inside the caller's transaction. */
    saveMany: (links: readonly SavedLink[], trx?: Kysely<DatabaseSchema>): Promise<void> =>
      saveLinks(trx ?? db, links),

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

/** What a save writes: a link without its timestamps (`createdAt` kept when given). */
export type SavedLink = Omit<Link, 'createdAt' | 'updatedAt'> & { createdAt?: string };

/** Bound values per statement stay far below SQLite's and PostgreSQL's limits. */
const IN_LIST_CHUNK = 500;
const SAVE_CHUNK = 100;

/** The columns a save replaces on an existing link (all but the key and `created_at`). */
const REPLACED_COLUMNS = [
  'account_id',
  'state',
  'created_by_us',
  'pushed',
  'last_error',
  'delete_after',
  'removal_state',
  'removal_detail',
  'updated_at',
] as const;

async function saveLinks(db: Kysely<DatabaseSchema>, links: readonly SavedLink[]): Promise<void> {
  const now = new Date().toISOString();
  // One statement may not touch a row twice: the last save of an object wins, as saves in turn would.
  const latest = [...new Map(links.map((link) => [`${link.objectType}:${link.objectId}`, link])).values()];
  for (let start = 0; start < latest.length; start += SAVE_CHUNK)
    await INSERT_LINKS(
      db,
      latest.slice(start, start + SAVE_CHUNK).map((link) => toRow(link, now)),
    );
}

const LINK_COLUMNS = [
  'provisioning_id',
  'object_type',
  'object_id',
  'tenant_id',
  'account_id',
  'state',
  'created_by_us',
  'pushed',
  'last_error',
  'delete_after',
  'removal_state',
  'removal_detail',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof LinkTable)[];

/** Inserts or replaces links (a page's worth per statement, compiled once per row count). */
const INSERT_LINKS = preparedInsert(LINK_COLUMNS, (db, rows) =>
  db
    .insertInto('links')
    .values(rows as unknown as Insertable<LinkTable>[])
    .onConflict((conflict) =>
      conflict
        .columns(['provisioning_id', 'object_type', 'object_id'])
        .doUpdateSet(
          Object.fromEntries(REPLACED_COLUMNS.map((column) => [column, sql.ref(`excluded.${column}`)])),
        ),
    ),
);

function toRow(link: SavedLink, now: string): Record<(typeof LINK_COLUMNS)[number], unknown> {
  return {
    provisioning_id: link.provisioningId,
    object_type: link.objectType,
    object_id: link.objectId,
    tenant_id: link.tenantId,
    account_id: link.accountId,
    state: link.state,
    created_by_us: link.createdByUs ? 1 : 0,
    pushed: encodePushed(link.pushed),
    last_error: link.lastError,
    delete_after: link.deleteAfter ?? null,
    removal_state: link.removal?.state ?? null,
    removal_detail: link.removal
      ? JSON.stringify({ ...link.removal.detail, since: link.removal.since })
      : null,
    created_at: link.createdAt ?? now,
    updated_at: now,
  };
}

/**
 * The pushed values without the empty ones: every reader treats a missing attribute as null (the
 * diff's `sameValue`, the group diff's `?? null`), and a full push writes a link per user, so the
 * nulls a mapping yields (a third of a typical row) were only weight.
 */
function encodePushed(pushed: Readonly<Record<string, unknown>>): string {
  const known = encoded.get(pushed);
  if (known !== undefined) return known;
  const kept: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(pushed))
    if (value !== null && value !== undefined) kept[path] = value;
  const text = JSON.stringify(kept);
  encoded.set(pushed, text);
  return text;
}

/**
 * Pushed values are never changed once built (a new object per reconciliation), and a created user's
 * object is saved twice, as its `creating` mark and as its link: it is encoded once.
 */
const encoded = new WeakMap<object, string>();

function toLink(row: Selectable<LinkTable>): Link {
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
    deleteAfter: row.delete_after,
    removal: toRemoval(row.removal_state, row.removal_detail),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRemoval(state: string | null, detail: unknown): LinkRemoval | null {
  if (state === null) return null;
  const parsed = (typeof detail === 'string' ? JSON.parse(detail) : (detail ?? {})) as Record<
    string,
    unknown
  >;
  const { since, ...rest } = parsed;
  return {
    state: state as LinkRemoval['state'],
    detail: rest,
    since: typeof since === 'string' ? since : '',
  };
}
