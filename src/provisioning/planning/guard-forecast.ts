import type { Storage } from '../../storage/open-storage.ts';
import type { DeletionGuard } from '../deprovisioning/deletion-guard.ts';
import type { DeletionGuardSettings } from '../deprovisioning/deprovision-policy.ts';
import type { GuardForecast } from './plan-types.ts';

const LIVE_STATES = ['creating', 'active', 'disabled'];

/** Where the deletion guard stands for one removal, before counting. */
type Standing = 'approved' | 'staged' | 'in-window' | 'new';

export interface ForecastInput {
  readonly provisioningId: string;
  readonly settings: DeletionGuardSettings;
  /** The removals that need the guard's admission, by object. */
  readonly objectIds: readonly string[];
  /** Who would pass the threshold, for the reason's words, e.g. `applying plan pln_…`. */
  readonly subject: string;
}

export interface Forecast extends GuardForecast {
  /** Per removal: held (with why) or run. */
  readonly held: ReadonlyMap<string, string>;
}

/**
 * What the deletion guard would do with a plan's removals, decided the way `admit` decides each one
 * (deletion-guard.ts): an approved removal runs; a staged one stays staged; one admitted within the
 * window runs without counting again; while removals are paused the rest are staged. Otherwise the
 * plan's new removals are counted whole, with the window's, as `assessPlan` counts a full push
 * (`exceeds`): beyond the threshold all of them are staged — applying the plan pauses removals with
 * this reason first, so the outcome does not depend on the order the removals happen to run in.
 * Within it none can pass it one by one: each admission sees at most these removals and at least
 * these accounts.
 */
export async function forecastGuard(
  storage: Storage,
  guard: Pick<DeletionGuard, 'exceeds' | 'pausedReason'>,
  input: ForecastInput,
  now: Date,
): Promise<Forecast> {
  const db = storage.db;
  const { settings } = input;
  const paused = await guard.pausedReason(input.provisioningId);
  const staged = new Map(
    (
      await db
        .selectFrom('staged_removals')
        .select(['object_id', 'status', 'reason'])
        .where('provisioning_id', '=', input.provisioningId)
        .execute()
    ).map((row) => [row.object_id, row]),
  );
  const windowStart = new Date(now.getTime() - settings.windowMinutes * 60_000).toISOString();
  const admitted = new Set(
    (
      await db
        .selectFrom('removal_admissions')
        .select('object_id')
        .where('provisioning_id', '=', input.provisioningId)
        .where('admitted_at', '>=', windowStart)
        .execute()
    ).map((row) => row.object_id),
  );
  const liveRow = await db
    .selectFrom('links')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('provisioning_id', '=', input.provisioningId)
    .where('object_type', '=', 'User')
    .where('state', 'in', LIVE_STATES)
    .executeTakeFirst();
  const live = Number(liveRow?.n ?? 0);

  const standing = (objectId: string): Standing => {
    const row = staged.get(objectId);
    if (row?.status === 'approved' || !settings.enabled) return 'approved';
    if (row !== undefined) return 'staged';
    return admitted.has(objectId) ? 'in-window' : 'new';
  };
  const held = new Map<string, string>();
  const fresh: string[] = [];
  for (const objectId of input.objectIds) {
    const stands = standing(objectId);
    if (stands === 'staged') held.set(objectId, staged.get(objectId)?.reason ?? 'staged');
    if (stands === 'new') fresh.push(objectId);
  }
  let stages: string | null = null;
  if (paused !== null) stages = paused;
  else if (fresh.length > 0) {
    const over = guard.exceeds(settings, admitted.size + fresh.length, live + admitted.size);
    if (over !== undefined)
      stages = `deletion guard: ${input.subject}: ${over}; removals are paused until an admin approves or rejects them`;
  }
  if (stages !== null) for (const objectId of fresh) held.set(objectId, stages);
  return {
    enabled: settings.enabled,
    removals: input.objectIds.length,
    inWindow: admitted.size,
    live,
    stages,
    paused,
    held,
  };
}
