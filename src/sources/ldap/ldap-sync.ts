import { applySourceSnapshot, type SourceApplyDependencies } from '../apply/apply-source-snapshot.ts';
import type { SourceApplyResult } from '../apply/source-apply-result.ts';
import { createSourceObjectRepository } from '../apply/source-object-repository.ts';
import type { SourceProtection } from '../apply/source-protection.ts';
import { compileSourceMapping } from '../mapping/compile-source-mapping.ts';
import { buildLdapSnapshot, type KnownLdapObjects, type LdapGroupState } from './build-ldap-snapshot.ts';
import { normalizeDn } from './distinguished-name.ts';
import { parseLdapConnection } from './ldap-connection-schema.ts';
import { createLdapReader } from './ldap-reader.ts';
import type { LdapSourceConfig } from './ldap-source-config.ts';
import { LdapSourceError } from './ldap-source-error.ts';
import { DEFAULT_LDAP_GROUP_MAPPING, defaultLdapUserMapping } from './ldap-source-mapping.ts';
import { type LdapWatermark, nextWatermark } from './ldap-watermark.ts';
import type { LdapEntry } from './normalize-ldap-entry.ts';

export interface LdapSyncRequest {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly config: LdapSourceConfig;
  readonly protection: SourceProtection;
  /** Incremental: only what changed since `watermark` (no deletions; a missing watermark runs full). */
  readonly mode: 'full' | 'incremental';
  readonly watermark?: string | null;
  readonly dryRun?: boolean;
}

export type LdapSyncResult =
  | (Extract<SourceApplyResult, { ok: true }> & {
      readonly mode: 'full' | 'incremental';
      readonly watermark: string | null;
      readonly entries: number;
    })
  | {
      readonly ok: false;
      readonly error: { readonly code: string; readonly message: string };
      readonly stats?: Extract<SourceApplyResult, { ok: false }>['stats'];
      readonly items?: Extract<SourceApplyResult, { ok: false }>['items'];
    };

async function loadKnown(dependencies: SourceApplyDependencies, sourceId: string): Promise<KnownLdapObjects> {
  const objects = createSourceObjectRepository(dependencies.storage.db, dependencies.storage.dialect);
  const users = new Map<string, string>();
  for (const link of (await objects.list(sourceId, 'User')).values()) {
    const dn = link.name === null ? undefined : normalizeDn(link.name);
    if (dn !== undefined) users.set(dn, link.key);
  }
  const groups = new Map<string, { dn: string; state: LdapGroupState }>();
  for (const link of (await objects.list(sourceId, 'Group')).values()) {
    if (link.name !== null && link.state !== null)
      groups.set(link.key, { dn: link.name, state: link.state as LdapGroupState });
  }
  return { users, groups };
}

/**
 * One run of an LDAP / AD source: read (every entry for a full run, the changed ones since the
 * watermark for an incremental one), map, and apply to the directory. A read that fails (server
 * down, wrong password, wrong or empty base DN) or a plan that pull protection refuses changes
 * nothing; the watermark moves only when the run applied.
 */
export async function syncLdapSource(
  dependencies: SourceApplyDependencies,
  request: LdapSyncRequest,
): Promise<LdapSyncResult> {
  const connection = parseLdapConnection(request.config.connection);
  const userMapping = compileSourceMapping(
    request.config.userMapping ?? defaultLdapUserMapping(connection.directory),
  );
  const groupMapping = compileSourceMapping(request.config.groupMapping ?? DEFAULT_LDAP_GROUP_MAPPING);
  if (!userMapping.ok || !groupMapping.ok) {
    const problems = [
      ...(userMapping.ok ? [] : userMapping.problems),
      ...(groupMapping.ok ? [] : groupMapping.problems),
    ];
    return {
      ok: false,
      error: { code: 'invalid_mapping', message: problems.map((p) => `${p.path}: ${p.message}`).join('; ') },
    };
  }
  const previous: LdapWatermark | undefined =
    request.watermark === null || request.watermark === undefined
      ? undefined
      : { attribute: connection.watermarkAttribute, value: request.watermark };
  const mode = request.mode === 'incremental' && previous !== undefined ? 'incremental' : 'full';
  const entries: LdapEntry[] = [];
  try {
    const reader = createLdapReader(connection);
    for await (const entry of reader.readEntries(
      mode === 'incremental' && previous !== undefined ? { since: previous } : {},
    ))
      entries.push(entry);
  } catch (error) {
    if (error instanceof LdapSourceError)
      return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
  const { snapshot } = buildLdapSnapshot(entries, {
    connection,
    users: userMapping.value,
    groups: groupMapping.value,
    complete: mode === 'full',
    ...(mode === 'incremental' ? { known: await loadKnown(dependencies, request.sourceId) } : {}),
  });
  const applied = await applySourceSnapshot(
    dependencies,
    {
      tenantId: request.tenantId,
      sourceId: request.sourceId,
      protection: request.protection,
      bindBy: request.config.bindBy,
      dryRun: request.dryRun ?? false,
      invalidEntries: 'skip',
    },
    snapshot,
  );
  if (!applied.ok) return applied;
  const watermark = nextWatermark(connection.watermarkAttribute, previous, entries);
  return { ...applied, mode, watermark: watermark?.value ?? null, entries: entries.length };
}
