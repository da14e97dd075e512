import type { TargetCapabilities } from '../../targets/profiles/target-profile.ts';
import type { DeprovisionPolicy } from '../deprovisioning/deprovision-policy.ts';
import type { OrgUnitStep } from '../scope/evaluate-scope.ts';

/** A directory user as the engine reads it: its SCIM document and the groups it is in (transitively). */
export interface DirectoryUser {
  readonly id: string;
  readonly doc: Readonly<Record<string, unknown>>;
  readonly groupIds: readonly string[];
  /**
   * The org units it is placed in, each as its path from the root; absent when not read (a scope
   * without org units does not need them), empty when placed in none.
   */
  readonly orgUnitPaths?: readonly (readonly OrgUnitStep[])[];
}

export type Projection =
  | {
      readonly ok: true;
      /** The target document to create, or to PUT for an update. */
      readonly document: Record<string, unknown>;
      /** Each mapped target attribute by path; what is compared with the link's last pushed values. */
      readonly attributes: Readonly<Record<string, unknown>>;
    }
  | { readonly ok: false; readonly message: string };

export interface SubscribedOperations {
  readonly create: boolean;
  readonly update: boolean;
  readonly disable: boolean;
  readonly delete: boolean;
}

export type DuplicationStrategy = 'KeepBoth' | 'TakeOver' | 'Fail';
export type DeletionStrategy = 'Delete' | 'Keep';

/**
 * A provisioning ready to run: its configuration checked and compiled once (mappings parsed, scope
 * rules built) so reconciling an object costs no parsing.
 */
export interface CompiledProvisioning {
  readonly id: string;
  readonly tenantId: string;
  readonly targetId: string;
  readonly status: 'enabled' | 'disabled' | 'removing';
  readonly capabilities: TargetCapabilities;
  readonly operations: SubscribedOperations;
  readonly duplicationStrategy: DuplicationStrategy;
  readonly deletionStrategy: DeletionStrategy;
  /** What removals do, per trigger; cleanup permissions; backups; the deletion guard (issue 5). */
  readonly deprovision: DeprovisionPolicy;
  readonly pushGroups: boolean;
  inScope(user: DirectoryUser): boolean;
  project(user: DirectoryUser, operation: 'create' | 'update'): Projection;
  /** The SCIM filters that find an existing account for `user`, in matching order. */
  matchFilters(
    user: DirectoryUser,
    /** The user's mapped attributes when the caller already projected it (saves a second projection). */
    attributes?: Readonly<Record<string, unknown>>,
  ): { ok: true; filters: readonly string[] } | { ok: false; message: string };
  /** The group mapping applied to a directory group (without members: the engine adds them from links). */
  projectGroup(group: Readonly<Record<string, unknown>>, operation: 'create' | 'update'): Projection;
  /** Whether the scope depends on group membership (a membership change then re-evaluates everyone). */
  readonly scopeUsesGroups: boolean;
  /** Whether the scope names org units (the reader must then read each user's org units). */
  readonly scopeUsesOrgUnits: boolean;
  /**
   * Mapped target attributes that refer to another directory user (the enterprise `manager.value`):
   * `project` gives directory ids there, which the engine translates into target account ids
   * (with-translated-references.ts). Empty when none is mapped.
   */
  readonly referenceAttributes: readonly string[];
  /** A document for `KeepBoth`: the same account under a name that does not collide (attempt 1, 2, …). */
  renameForKeepBoth(document: Record<string, unknown>, attempt: number): Record<string, unknown>;
}
