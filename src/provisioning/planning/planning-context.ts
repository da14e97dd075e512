import type { AdapterResult, TargetAccount } from '../../targets/adapters/scim-target-adapter.ts';
import type { AccountBackups } from '../deprovisioning/account-backups.ts';
import type { NativeAccountApi } from '../deprovisioning/native-account-api.ts';
import type { CompiledProvisioning } from '../engine/compiled-provisioning.ts';
import type { LinkRepository } from '../engine/link-repository.ts';

/**
 * What a plan may ask of a target: lookups and inspections, never a write. Planning gets only this
 * view, so "a plan writes nothing to the target" holds by construction; `count` says how many reads
 * an object's plan made (applying reads them again to see whether the target changed).
 */
export interface TargetReads {
  findUsers(filter: string): Promise<AdapterResult<TargetAccount[]>>;
  getUser(id: string): Promise<AdapterResult<TargetAccount | undefined>>;
  /** The native API's read-only inspection; undefined when the target has no native API configured. */
  readonly inspect: NativeAccountApi['inspect'] | undefined;
  readonly count: number;
}

/** The read-only view of a target's adapter and native API for planning one object. */
export function targetReads(
  adapter: { findUsers: TargetReads['findUsers']; getUser: TargetReads['getUser'] },
  native: NativeAccountApi | undefined,
): TargetReads {
  let count = 0;
  const counted =
    <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
    (...args: A) => {
      count++;
      return read(...args);
    };
  return {
    findUsers: counted((filter: string) => adapter.findUsers(filter)),
    getUser: counted((id: string) => adapter.getUser(id)),
    inspect: native === undefined ? undefined : counted((userName: string) => native.inspect(userName)),
    get count() {
      return count;
    },
  };
}

/** What planning one object needs: the provisioning as it would run, target reads, links, backups. */
export interface PlanningContext {
  readonly provisioning: CompiledProvisioning;
  readonly reads: TargetReads;
  readonly links: Pick<LinkRepository, 'findByAccount'>;
  readonly backups: Pick<AccountBackups, 'latestFor'>;
  readonly now: number;
}
