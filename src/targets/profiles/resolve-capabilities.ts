import { type ServiceProviderConfig, ServiceProviderConfigSchema } from './service-provider-config-schema.ts';
import type { PagingCapabilities, TargetCapabilities, TargetProfile } from './target-profile.ts';

export interface CapabilityError {
  readonly code: 'invalid_service_provider_config';
  /** Plain words naming what was wrong, e.g. `bulk.supported: expected boolean`. */
  readonly message: string;
}

export type CapabilityResolution =
  | { ok: true; value: TargetCapabilities; learnt: boolean }
  | { ok: false; error: CapabilityError };

/**
 * The capabilities the engine may use: the profile's, overridden by what the target's
 * `/ServiceProviderConfig` says where the profile learns from it (generic SCIM, Lockstep). For a
 * profile that encodes documented limits (RAM, AWS), the document is still validated but changes
 * nothing. A malformed document is an error value, never a throw. `learnt` tells whether it counted.
 */
export function resolveCapabilities(
  profile: TargetProfile,
  serviceProviderConfig?: unknown,
): CapabilityResolution {
  if (serviceProviderConfig === undefined) return { ok: true, value: profile.capabilities, learnt: false };
  const parsed = ServiceProviderConfigSchema.safeParse(serviceProviderConfig);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`);
    return {
      ok: false,
      error: {
        code: 'invalid_service_provider_config',
        message: `The target's /ServiceProviderConfig is malformed (${problems.join('; ')})`,
      },
    };
  }
  if (!profile.learnsFromServiceProviderConfig)
    return { ok: true, value: profile.capabilities, learnt: false };
  return { ok: true, value: mergeServiceProviderConfig(profile.capabilities, parsed.data), learnt: true };
}

function mergeServiceProviderConfig(
  base: TargetCapabilities,
  config: ServiceProviderConfig,
): TargetCapabilities {
  const bulkSupported = config.bulk?.supported === true && (config.bulk.maxOperations ?? 0) > 0;
  const filterSupported = config.filter?.supported ?? false;
  return {
    ...base,
    updateMethod: config.patch?.supported === true ? 'PATCH' : 'PUT',
    filter: filterSupported
      ? { ...base.filter, supported: true, maxResults: config.filter?.maxResults ?? base.filter.maxResults }
      : { ...base.filter, supported: false, operators: [], logicalOperators: [], maxResults: undefined },
    paging: resolvePaging(base.paging, config, filterSupported ? config.filter?.maxResults : undefined),
    bulk: bulkSupported
      ? {
          supported: true,
          maxOperations: config.bulk?.maxOperations ?? 0,
          maxPayloadSize: config.bulk?.maxPayloadSize ?? 0,
        }
      : { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    sort: config.sort?.supported ?? false,
    etag: config.etag?.supported ?? false,
  };
}

/**
 * RFC 9865 adds `pagination` to the document: a server that offers cursors but not indexes is paged
 * by cursor. Without the section, RFC 7644's startIndex/count paging is assumed. A page is never
 * asked to be larger than the server's `maxPageSize` or its filter `maxResults`.
 */
function resolvePaging(
  base: PagingCapabilities,
  config: ServiceProviderConfig,
  filterMaxResults: number | undefined,
): PagingCapabilities {
  const pagination = config.pagination;
  const kind =
    pagination === undefined
      ? base.kind
      : pagination.index === false && pagination.cursor === true
        ? 'cursor'
        : pagination.index === false && pagination.cursor === false
          ? 'none'
          : pagination.defaultPaginationMethod === 'cursor' && pagination.cursor === true
            ? 'cursor'
            : 'index';
  const limits = [base.maxPageSize, pagination?.maxPageSize, filterMaxResults].filter(
    (limit): limit is number => limit !== undefined && limit > 0,
  );
  return { kind, maxPageSize: Math.min(...limits) };
}
