import { randomBytes } from 'node:crypto';
import type { ReconciliationFindingTable } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import {
  emptyCounts,
  type FindingAction,
  type FindingCounts,
  type FindingDetails,
  type FindingKind,
  type FindingStatus,
  type FindingView,
} from './reconciliation-types.ts';

export interface NewFinding {
  readonly kind: FindingKind;
  readonly accountId: string;
  readonly userName: string | null;
  readonly externalId: string | null;
  readonly objectId: string | null;
  readonly details: FindingDetails;
}

export interface FindingQuery {
  readonly kind?: FindingKind | undefined;
  readonly status?: FindingStatus | undefined;
  /** The previous page's `nextCursor`. */
  readonly after?: string | undefined;
  readonly limit?: number | undefined;
}

/** Findings of reconciliation runs and the ignores that later runs remember. SQL only. */
export function createFindingRepository(storage: Storage) {
  const db = storage.db;
  return {
    /**
     * Stores a run's findings; a finding whose (kind, account) an admin ignored before is stored as
     * `ignored`, not `open`.
     */
    async insert(
      run: { id: string; tenantId: string; provisioningId: string },
      findings: readonly NewFinding[],
    ): Promise<void> {
      if (findings.length === 0) return;
      const ignored = await db
        .selectFrom('reconciliation_ignores')
        .select(['kind', 'account_id'])
        .where('provisioning_id', '=', run.provisioningId)
        .where('account_id', 'in', [...new Set(findings.map((finding) => finding.accountId))])
        .execute();
      const isIgnored = new Set(ignored.map((row) => `${row.kind}\u0000${row.account_id}`));
      const now = new Date().toISOString();
      const rows: ReconciliationFindingTable[] = findings.map((finding) => ({
        id: `fnd_${randomBytes(8).toString('hex')}`,
        run_id: run.id,
        tenant_id: run.tenantId,
        provisioning_id: run.provisioningId,
        kind: finding.kind,
        status: isIgnored.has(`${finding.kind}\u0000${finding.accountId}`) ? 'ignored' : 'open',
        account_id: finding.accountId,
        user_name: finding.userName,
        external_id: finding.externalId,
        object_id: finding.objectId,
        details: JSON.stringify(finding.details),
        action: null,
        action_object_id: null,
        acted_at: null,
        created_at: now,
      }));
      await storage.write((trx) => trx.insertInto('reconciliation_findings').values(rows).execute());
    },

    /** Forgets a run's findings (a run restarted after a crash starts over). */
    async deleteRun(runId: string): Promise<void> {
      await storage.write((trx) =>
        trx.deleteFrom('reconciliation_findings').where('run_id', '=', runId).execute(),
      );
    },

    async find(findingId: string): Promise<FindingView | undefined> {
      const row = await db
        .selectFrom('reconciliation_findings')
        .selectAll()
        .where('id', '=', findingId)
        .executeTakeFirst();
      return row === undefined ? undefined : toView(row);
    },

    /** A run's findings in id order, a page at a time. */
    async list(
      runId: string,
      query: FindingQuery = {},
    ): Promise<{ items: FindingView[]; nextCursor: string | null }> {
      let select = db.selectFrom('reconciliation_findings').selectAll().where('run_id', '=', runId);
      if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
      if (query.status !== undefined) select = select.where('status', '=', query.status);
      if (query.after !== undefined) select = select.where('id', '>', query.after);
      const limit = query.limit ?? 100;
      const rows = await select
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map(toView),
        nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },

    /** A run's findings counted per kind and status. */
    async count(runId: string): Promise<FindingCounts> {
      const rows = await db
        .selectFrom('reconciliation_findings')
        .select(['kind', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('run_id', '=', runId)
        .groupBy(['kind', 'status'])
        .execute();
      const counts = emptyCounts();
      for (const row of rows) {
        const bucket = counts[row.kind];
        if (bucket === undefined) continue;
        bucket[row.status] += Number(row.n);
        bucket.total += Number(row.n);
      }
      return counts;
    },

    /** Marks a finding acted on: `ignored` for ignore, `actioned` for the others. */
    async markActed(
      finding: FindingView,
      action: FindingAction,
      objectId: string | null,
    ): Promise<FindingView | undefined> {
      const now = new Date().toISOString();
      await storage.write(async (trx) => {
        await trx
          .updateTable('reconciliation_findings')
          .set({
            status: action === 'ignore' ? 'ignored' : 'actioned',
            action,
            action_object_id: objectId,
            acted_at: now,
          })
          .where('id', '=', finding.id)
          .execute();
        if (action === 'ignore')
          await trx
            .insertInto('reconciliation_ignores')
            .values({
              provisioning_id: finding.provisioningId,
              kind: finding.kind,
              account_id: finding.accountId,
              tenant_id: finding.tenantId,
              finding_id: finding.id,
              created_at: now,
            })
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        // An account adopted or deprovisioned is no longer something to ignore.
        else
          await trx
            .deleteFrom('reconciliation_ignores')
            .where('provisioning_id', '=', finding.provisioningId)
            .where('account_id', '=', finding.accountId)
            .execute();
      });
      return this.find(finding.id);
    },
  };
}

export type FindingRepository = ReturnType<typeof createFindingRepository>;

function toView(row: ReconciliationFindingTable): FindingView {
  return {
    id: row.id,
    runId: row.run_id,
    tenantId: row.tenant_id,
    provisioningId: row.provisioning_id,
    kind: row.kind,
    status: row.status,
    accountId: row.account_id,
    userName: row.user_name,
    externalId: row.external_id,
    objectId: row.object_id,
    details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as FindingDetails,
    action: row.action,
    actionObjectId: row.action_object_id,
    actedAt: row.acted_at,
    createdAt: row.created_at,
  };
}
