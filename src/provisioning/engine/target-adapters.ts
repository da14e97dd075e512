import {
  createScimTargetAdapter,
  type ScimTargetAdapter,
} from '../../targets/adapters/scim-target-adapter.ts';
import { findTargetProfile } from '../../targets/profiles/target-profiles.ts';
import { createScimClient } from '../../targets/scim-client/create-scim-client.ts';
import type { NativeAccountApi } from '../deprovisioning/native-account-api.ts';
import { openNativeAccountApi } from '../deprovisioning/open-native-account-api.ts';
import type { TargetPacers } from '../targets/target-pacers.ts';
import type { TargetService } from '../targets/target-service.ts';
import { DEFAULT_TARGET_SETTINGS, type TargetSettings } from '../targets/target-settings.ts';

const RECHECK_MS = 2_000;

/**
 * One adapter (and so one token cache and connection pool) per target, rebuilt when the target's
 * settings change; with `pacers`, a target's requests keep to its rate limit (`settings.rateLimit`).
 */
export function createTargetAdapters(targets: TargetService, pacers?: TargetPacers) {
  const adapters = new Map<string, { updatedAt: string; adapter: ScimTargetAdapter; checkedUntil: number }>();
  const natives = new Map<
    string,
    { updatedAt: string; api: NativeAccountApi | undefined; checkedUntil: number }
  >();
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
      const settings = {
        ...DEFAULT_TARGET_SETTINGS,
        ...(typeof opened.row.settings === 'string' ? JSON.parse(opened.row.settings) : opened.row.settings),
      } as TargetSettings;
      const pacer = pacers?.pacerFor(targetId, settings.rateLimit);
      const client = createScimClient(opened.connection, {
        tokenConvention: profile.token,
        ...(pacer !== undefined ? { pacer } : {}),
      });
      const adapter = createScimTargetAdapter(client, profile.capabilities);
      adapters.set(targetId, {
        updatedAt: opened.row.updated_at,
        adapter,
        checkedUntil: Date.now() + RECHECK_MS,
      });
      return adapter;
    },
    /**
     * The target's native API for deprovisioning (RAM's OpenAPI), when one is configured; undefined
     * otherwise. Rebuilt with the adapter when the target changes.
     */
    async nativeFor(targetId: string): Promise<NativeAccountApi | undefined> {
      const known = natives.get(targetId);
      if (known !== undefined && known.checkedUntil > Date.now()) return known.api;
      const opened = await targets.openTarget(targetId);
      if (opened === undefined) return undefined;
      if (known !== undefined && known.updatedAt === opened.row.updated_at) {
        known.checkedUntil = Date.now() + RECHECK_MS;
        return known.api;
      }
      const api = await openNativeAccountApi(targets, targetId);
      natives.set(targetId, { updatedAt: opened.row.updated_at, api, checkedUntil: Date.now() + RECHECK_MS });
      return api;
    },
    forget: (targetId: string) => {
      adapters.delete(targetId);
      natives.delete(targetId);
    },
  };
}

export type TargetAdapters = ReturnType<typeof createTargetAdapters>;
