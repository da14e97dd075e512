import {
  createScimTargetAdapter,
  type ScimTargetAdapter,
} from '../../targets/adapters/scim-target-adapter.ts';
import { findTargetProfile } from '../../targets/profiles/target-profiles.ts';
import { createScimClient } from '../../targets/scim-client/create-scim-client.ts';
import type { TargetService } from '../targets/target-service.ts';

/**
 * One adapter (and so one token cache and connection pool) per target, rebuilt when the target's
 * settings change.
 */
export function createTargetAdapters(targets: TargetService) {
  const adapters = new Map<string, { updatedAt: string; adapter: ScimTargetAdapter }>();
  return {
    async adapterFor(targetId: string): Promise<ScimTargetAdapter | undefined> {
      const opened = await targets.openTarget(targetId);
      if (opened === undefined) return undefined;
      const cached = adapters.get(targetId);
      if (cached !== undefined && cached.updatedAt === opened.row.updated_at) return cached.adapter;
      const profile = findTargetProfile(opened.row.profile);
      if (profile === undefined) return undefined;
      const client = createScimClient(opened.connection, { tokenConvention: profile.token });
      const adapter = createScimTargetAdapter(client, profile.capabilities);
      adapters.set(targetId, { updatedAt: opened.row.updated_at, adapter });
      return adapter;
    },
    forget: (targetId: string) => adapters.delete(targetId),
  };
}

export type TargetAdapters = ReturnType<typeof createTargetAdapters>;
