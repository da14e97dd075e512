import type { Storage } from '../../storage/open-storage.ts';
import { findTargetProfile } from '../../targets/profiles/target-profiles.ts';
import { compileProvisioning } from '../compile-provisioning.ts';
import type { CompiledProvisioning } from '../engine/compiled-provisioning.ts';
import type { TargetAdapters } from '../engine/target-adapters.ts';
import type { ProvisioningConfig } from '../provisioning-config.ts';
import { ProvisioningError } from '../provisioning-error.ts';
import type { PlanKind } from './plan-types.ts';

/**
 * What a plan is computed (and checked) against: the provisioning compiled with the configuration
 * the plan is for and the status it would run with (a push runs enabled, a removal `removing`), and
 * the target's adapter and native API (planning only reads through them).
 */
export function createPlanSubjects(storage: Storage, adapters: TargetAdapters) {
  async function targetOf(tenantId: string, targetId: string) {
    const row = await storage.db
      .selectFrom('targets')
      .select(['id', 'profile', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', targetId)
      .executeTakeFirst();
    const profile = row === undefined ? undefined : findTargetProfile(row.profile);
    if (row === undefined || profile === undefined)
      throw new ProvisioningError('conflict', `The target "${targetId}" is gone`);
    return { row, profile };
  }

  return {
    targetOf,

    /** Compiles `config` as the plan would run it; a configuration with problems is invalid (400). */
    async compile(
      row: { id: string; tenant_id: string; target_id: string },
      kind: PlanKind,
      config: unknown,
    ): Promise<{ compiled: CompiledProvisioning; config: ProvisioningConfig }> {
      const { profile } = await targetOf(row.tenant_id, row.target_id);
      const compiled = compileProvisioning(
        { ...row, status: kind === 'removal' ? 'removing' : 'enabled' },
        config,
        profile,
      );
      if (!compiled.ok)
        throw new ProvisioningError(
          'invalid',
          `The configuration has ${compiled.problems.length} problem(s): ${compiled.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
          { problems: compiled.problems },
        );
      return { compiled: compiled.compiled, config: compiled.config };
    },

    async reach(targetId: string) {
      const adapter = await adapters.adapterFor(targetId);
      if (adapter === undefined) throw new ProvisioningError('conflict', `The target "${targetId}" is gone`);
      return { adapter, native: await adapters.nativeFor(targetId) };
    },
  };
}

export type PlanSubjects = ReturnType<typeof createPlanSubjects>;
