import { ProvisioningError } from '../provisioning-error.ts';
import type { ProvisioningService } from '../provisioning-service.ts';
import { evaluateScope } from '../scope/evaluate-scope.ts';
import { ScopeSchema } from '../scope/scope-rule.ts';
import type { DirectoryReader } from './directory-reader.ts';
import type { LinkRepository } from './link-repository.ts';

const PAGE = 500;

/**
 * What a change would do, computed without touching the target: the mapped account for a chosen user
 * (Entra's "provision on demand" preview) and who a new scope would add or drop.
 */
export function createProvisioningPreviews(dependencies: {
  provisionings: ProvisioningService;
  reader: DirectoryReader;
  links: LinkRepository;
}) {
  const { provisionings, reader, links } = dependencies;
  return {
    /**
     * Who would enter and who would leave the scope if `scope` replaced the current one — shown before
     * a scope change is saved. Reads every user of the tenant (up to `limit`).
     */
    async previewScope(tenantId: string, provisioningId: string, scopeInput: unknown, limit = 100_000) {
      const view = await provisionings.getProvisioning(tenantId, provisioningId);
      const parsed = ScopeSchema.safeParse(scopeInput);
      if (!parsed.success)
        throw new ProvisioningError(
          'invalid',
          `Invalid scope: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
        );
      const entering: string[] = [];
      const leaving: string[] = [];
      let examined = 0;
      for (let after = ''; examined < limit; ) {
        const ids = await reader.listUserIds(tenantId, after, PAGE);
        if (ids.length === 0) break;
        const users = await reader.readUsers(tenantId, ids);
        for (const id of ids) {
          const user = users.get(id);
          if (user === undefined) continue;
          const subject = { user: user.doc, groupIds: user.groupIds, orgUnitPaths: user.orgUnitPaths ?? [] };
          const before = evaluateScope(view.config.scope, subject).inScope;
          const afterChange = evaluateScope(parsed.data, subject).inScope;
          if (!before && afterChange) entering.push(id);
          if (before && !afterChange) leaving.push(id);
          examined++;
        }
        after = ids[ids.length - 1] ?? '';
      }
      return {
        examined,
        truncated: examined >= limit,
        entering: { count: entering.length, userIds: entering.slice(0, 100) },
        leaving: { count: leaving.length, userIds: leaving.slice(0, 100) },
      };
    },

    /** How a chosen user would be mapped and whether it is in scope, without touching the target. */
    async preview(tenantId: string, provisioningId: string, userId: string) {
      await provisionings.getProvisioning(tenantId, provisioningId);
      const loaded = await provisionings.compiled(provisioningId);
      if (loaded === undefined)
        throw new ProvisioningError('not_found', `Provisioning "${provisioningId}" not found`);
      const user = await reader.readUser(tenantId, userId);
      if (user === undefined)
        throw new ProvisioningError('not_found', `User "${userId}" not found in tenant "${tenantId}"`);
      const link = await links.find(provisioningId, 'User', userId);
      const operation = link?.accountId ? 'update' : 'create';
      const projection = loaded.compiled.project(user, operation);
      return {
        userId,
        inScope: loaded.compiled.inScope(user),
        operation,
        link: link === undefined ? null : { accountId: link.accountId, state: link.state },
        ...(projection.ok
          ? { document: projection.document, attributes: projection.attributes }
          : { error: projection.message }),
      };
    },
  };
}
