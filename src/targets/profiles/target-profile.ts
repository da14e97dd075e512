/**
 * What a kind of target supports, written down once per kind (one file per profile beside this one).
 * The engine plans requests from a profile, never from guesses: a target that takes PUT gets PUT, one
 * that filters only on `eq` is asked only `eq`. Where a profile learns from the target itself
 * (`/ServiceProviderConfig`), `resolveCapabilities` merges what it learnt; see there.
 */
export type TargetProfileName = 'generic-scim' | 'lockstep' | 'alibaba-ram' | 'aws-identity-center';

export type ScimResourceTypeName = 'User' | 'Group';

/** @see RFC 7644 §3.4.2.2 */
export type FilterOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';
export type FilterLogicalOperator = 'and' | 'or' | 'not';

/** `index`: startIndex/count (RFC 7644 §3.4.2.4); `cursor`: a next-page token; `none`: one page only. */
export type PagingKind = 'index' | 'cursor' | 'none';

export interface FilterCapabilities {
  readonly supported: boolean;
  readonly operators: readonly FilterOperator[];
  readonly logicalOperators: readonly FilterLogicalOperator[];
  /** Attributes a filter may name, per resource type; `any` when the target filters on every attribute. */
  readonly attributes: Readonly<Partial<Record<ScimResourceTypeName, readonly string[]>>> | 'any';
  /** The most resources one filtered query answers, when the target says. */
  readonly maxResults: number | undefined;
}

export interface BulkCapabilities {
  readonly supported: boolean;
  readonly maxOperations: number;
  readonly maxPayloadSize: number;
}

export interface PagingCapabilities {
  readonly kind: PagingKind;
  /** The largest `count` the target honours. */
  readonly maxPageSize: number;
}

/**
 * Operations a target's own (non-SCIM) API can do where SCIM has no words; flags for the native
 * adapters that come later (REFERENCE.md §5, §8). All false for a plain SCIM server.
 */
export interface NativeCapabilities {
  /** Which API the native adapter speaks, when there is one. */
  readonly api: 'alibaba-ram-openapi' | 'aws-identity-store-and-sso-admin' | undefined;
  /** Can remove what blocks a delete (access keys, policies, groups, login profile, MFA device). */
  readonly clearsDeleteBlockers: boolean;
  /** Can remove account / permission-set assignments before a user is deleted. */
  readonly removesAccountAssignments: boolean;
  /** Can end sessions a deleted or disabled user still holds. */
  readonly revokesSessions: boolean;
}

/** How the target's OAuth token endpoint wants the client-credentials request. */
export interface TokenRequestConvention {
  readonly clientAuthentication: 'client_secret_basic' | 'client_secret_post';
  /** Where grant_type, client_id and scope go; the secret never goes into a URL. */
  readonly parametersIn: 'body' | 'query';
  /** The scope to ask for when the connection names none. */
  readonly defaultScope: string | undefined;
}

/** What the engine may ask of a target; `resolveCapabilities` turns a profile into this. */
export interface TargetCapabilities {
  readonly resourceTypes: readonly ScimResourceTypeName[];
  /** How a changed resource is written: PATCH (RFC 7644 §3.5.2) or a full PUT (§3.5.1). */
  readonly updateMethod: 'PATCH' | 'PUT';
  readonly filter: FilterCapabilities;
  readonly paging: PagingCapabilities;
  readonly bulk: BulkCapabilities;
  readonly sort: boolean;
  readonly etag: boolean;
  /** Member additions plus removals one PATCH may carry; undefined when unlimited. */
  readonly maxMemberChangesPerPatch: number | undefined;
  /** Whether the target keeps values as sent or lower-cases them (so comparisons must fold case). */
  readonly valueCase: 'preserve' | 'lower';
  /** Whether `active` means anything to the target; without it, revocation is deletion. */
  readonly hasActive: boolean;
  /** User attributes the target stores; `any` for a full RFC 7643 User. */
  readonly userAttributes: readonly string[] | 'any';
  /** The most e-mail addresses a user may have; undefined when unlimited. */
  readonly maxEmails: number | undefined;
}

export interface TargetProfile {
  readonly name: TargetProfileName;
  /** For people: "Alibaba Cloud RAM". */
  readonly title: string;
  /** Whether the target serves `/ServiceProviderConfig` (connectivity tests read it when it does). */
  readonly servesServiceProviderConfig: boolean;
  /**
   * Whether `/ServiceProviderConfig` may override `capabilities`. False where the profile encodes
   * documented limits that a target's self-description could only get wrong.
   */
  readonly learnsFromServiceProviderConfig: boolean;
  readonly capabilities: TargetCapabilities;
  readonly token: TokenRequestConvention;
  readonly native: NativeCapabilities;
  /**
   * Requests in flight a new target of this kind gets (its `settings.concurrency`) unless it is given
   * one: `DEFAULT_CONCURRENCY` where nothing says more is welcome.
   */
  readonly defaultConcurrency: number;
}

/** What a target gets where its kind says nothing better: a polite load for a SaaS app. */
export const DEFAULT_CONCURRENCY = 8;

export const ALL_FILTER_OPERATORS: readonly FilterOperator[] = Object.freeze([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
  'pr',
]);

export const NO_NATIVE_CAPABILITIES: NativeCapabilities = Object.freeze({
  api: undefined,
  clearsDeleteBlockers: false,
  removesAccountAssignments: false,
  revokesSessions: false,
});

/** RFC 6749 §2.3.1 prefers HTTP Basic; the parameters go in the form body (§4.4.2). */
export const STANDARD_TOKEN_REQUEST: TokenRequestConvention = Object.freeze({
  clientAuthentication: 'client_secret_basic',
  parametersIn: 'body',
  defaultScope: undefined,
});

/** A profile, deep-frozen: profiles are shared constants that no caller may change. */
export function defineTargetProfile(profile: TargetProfile): TargetProfile {
  return deepFreeze(profile);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
