import {
  createScimTargetAdapter,
  type ScimTargetAdapter,
} from '../../targets/adapters/scim-target-adapter.ts';
import { findTargetProfile } from '../../targets/profiles/target-profiles.ts';
import { createScimClient } from '../../targets/scim-client/create-scim-client.ts';
import type { TargetService } from '../targets/target-service.ts';

const RECHECK_MS = 2_000;

/**
 * One adapter (and so one token cache and connection pool) per target, rebuilt when the target's
 * settings change.
 */
export function createTargetAdapters(targets: TargetService) {
  const adapters = new Map<string, { updatedAt: string; adapter: ScimTargetAdapter; checkedUntil: number }>();
  return {
    async adapterFor(targetId: string): Promise<ScimTargetAdapter | undefined> {
      // Reading and unsealing the target for every job costs more than the job's own SQL: a target
      // changed through the API is picked up within this window (or at once in this process via forget).
      const known = adapters.get(targetId);
      if (known !== undefined && known.checkedUntil > Date.now()) return known.adapter;
      const opened = await targets.openTarget(targetId);
      if (opened === undefined) return undefined;
      const cached = adapters.get(targetId);
      if (cached !== undefined && cached.updatedAt === opened.row.updated_at) {
        cached.checkedUntil = Date.now() + RECHECK_MS;
        return cached.adapter;
      }
      const profile = findTargetProfile(opened.row.profile);
      if (profile === undefined) return undefined;
      const client = createScimClient(opened.connection, { tokenConvention: profile.token });
      const adapter = createScimTargetAdapter(client, profile.capabilities);
      adapters.set(targetId, {
        updatedAt: opened.row.updated_at,
        adapter,
        checkedUntil: Date.now() + RECHECK_MS,
      });
      return adapter;
    },
    forget: (targetId: string) => adapters.delete(targetId),
  };
}

export type TargetAdapters = ReturnType<typeof createTargetAdapters>;
