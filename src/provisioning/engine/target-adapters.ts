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
  /** Per target: its SCIM adapter and native API, built together from one reading of the target. */
  const entries = new Map<
    string,
    {
      updatedAt: string;
      adapter: ScimTargetAdapter;
      native: NativeAccountApi | undefined;
      checkedUntil: number;
    }
  >();

  async function entryFor(targetId: string) {
    // Reading and unsealing the target for every job costs more than the job's own SQL: a target
    // changed through the API is picked up within this window (or at once in this process via forget).
    const known = entries.get(targetId);
    if (known !== undefined && known.checkedUntil > Date.now()) return known;
    const opened = await targets.openTarget(targetId);
    if (opened === undefined) return undefined;
    const cached = entries.get(targetId);
    if (cached !== undefined && cached.updatedAt === opened.row.updated_at) {
      cached.checkedUntil = Date.now() + RECHECK_MS;
      return cached;
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
    const entry = {
      updatedAt: opened.row.updated_at,
      adapter: createScimTargetAdapter(client, profile.capabilities),
      native: await openNativeAccountApi(targets, targetId),
      checkedUntil: Date.now() + RECHECK_MS,
    };
    entries.set(targetId, entry);
    return entry;
  }

  return {
    adapterFor: async (targetId: string): Promise<ScimTargetAdapter | undefined> =>
      (await entryFor(targetId))?.adapter,
    /**
     * The target's native API for deprovisioning (RAM's OpenAPI), when one is configured; undefined
     * otherwise. Rebuilt with the adapter when the target changes.
     */
    nativeFor: async (targetId: string): Promise<NativeAccountApi | undefined> =>
      (await entryFor(targetId))?.native,
    forget: (targetId: string) => entries.delete(targetId),
  };
}

export type TargetAdapters = ReturnType<typeof createTargetAdapters>;
