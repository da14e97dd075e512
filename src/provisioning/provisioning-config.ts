import { z } from 'zod';
import { DeprovisionPolicySchema } from './deprovisioning/deprovision-policy.ts';
import { MappingSchema } from './mapping/attribute-mapping.ts';
import { ScopeSchema } from './scope/scope-rule.ts';

/**
 * A provisioning's settings (issue 4): who is in scope, how attributes map, how existing accounts are
 * matched, which operations are allowed, and what to do with duplicates and on removal. Validated when
 * saved; compiled once per change (compile-provisioning.ts).
 */
export const ProvisioningConfigSchema = z.strictObject({
  scope: ScopeSchema.default({}),
  mapping: MappingSchema.optional().describe("Absent: the target profile's default mapping"),
  /**
   * Target attributes that identify an existing account, tried in order (first match wins); each is
   * looked up with `<attribute> eq "<mapped value>"`.
   */
  matching: z.array(z.string().min(1).max(200)).min(1).max(5).default(['userName']),
  operations: z
    .strictObject({
      create: z.boolean().default(true),
      update: z.boolean().default(true),
      disable: z.boolean().default(true),
      delete: z.boolean().default(true),
    })
    .default({ create: true, update: true, disable: true, delete: true }),
  /** When an account Lockstep did not create matches: create another beside it, adopt it, or report it. */
  duplicationStrategy: z.enum(['KeepBoth', 'TakeOver', 'Fail']).default('TakeOver'),
  /** When the provisioning is removed: deprovision every linked account, or leave them (unlinked). */
  deletionStrategy: z.enum(['Delete', 'Keep']).default('Keep'),
  /** Push groups and memberships (targets with /Groups). */
  pushGroups: z.boolean().default(false),
  /** What happens to an account when its user is deleted, disabled or leaves the scope (issue 5). */
  deprovision: DeprovisionPolicySchema.default(DeprovisionPolicySchema.parse({})),
});

export type ProvisioningConfig = z.output<typeof ProvisioningConfigSchema>;
export type ProvisioningConfigInput = z.input<typeof ProvisioningConfigSchema>;
