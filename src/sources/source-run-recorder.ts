import { randomUUID } from 'node:crypto';
import { chunks } from '../directory/chunks.ts';
import type { SourceRunTable } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';
import type { SourceApplyStats, SourceRunItemReport } from './apply/source-apply-result.ts';

export interface SourceRunRecord {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly mode: 'full' | 'incremental';
  readonly trigger: 'manual' | 'schedule';
  readonly dryRun: boolean;
  readonly status: SourceRunTable['status'];
  readonly stats: SourceApplyStats | undefined;
  readonly error?: { code: string; message: string } | undefined;
  readonly watermarkBefore: string | null;
  readonly watermarkAfter: string | null;
  readonly startedAt: string;
  readonly items: readonly SourceRunItemReport[];
}

/** Writes a finished run (direction ingress) and its items that did something or failed. */
export async function recordSourceRun(storage: Storage, run: SourceRunRecord): Promise<string> {
  const id = `srun_${randomUUID()}`;
  await storage.db
    .insertInto('source_runs')
    .values({
      id,
      tenant_id: run.tenantId,
      source_id: run.sourceId,
      direction: 'ingress',
      mode: run.mode,
      trigger: run.trigger,
      dry_run: run.dryRun ? 1 : 0,
      status: run.status,
      stats: JSON.stringify(run.stats ?? {}),
      error_code: run.error?.code ?? null,
      error: run.error?.message ?? null,
      watermark_before: run.watermarkBefore,
      watermark_after: run.watermarkAfter,
      created_at: run.startedAt,
      finished_at: new Date().toISOString(),
    })
    .execute();
  const seen = new Set<string>();
  const items = run.items.filter((item) => {
    const key = `${item.type}\n${item.key}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return item.outcome !== 'planned' || run.dryRun;
  });
  for (const part of chunks(items, 200)) {
    await storage.db
      .insertInto('source_run_items')
      .values(
        part.map((item) => ({
          run_id: id,
          object_type: item.type,
          external_key: item.key,
          object_id: item.objectId,
          action: item.action,
          outcome: item.outcome === 'failed' ? ('failed' as const) : ('success' as const),
          message: item.message ?? (run.dryRun ? 'planned (dry run)' : null),
        })),
      )
      .execute();
  }
  return id;
}
