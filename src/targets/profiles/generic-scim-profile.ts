import {
  DEFAULT_CONCURRENCY,
  defineTargetProfile,
  NO_NATIVE_CAPABILITIES,
  STANDARD_TOKEN_REQUEST,
} from './target-profile.ts';

/**
 * Any RFC 7644 server. Until its `/ServiceProviderConfig` says more, assume only what every
 * provisioning client already relies on (Entra and Okta, REFERENCE.md §2–§3): `eq` filters joined by
 * `and`, startIndex/count paging, PATCH, no Bulk, no sorting, no ETags.
 */
export const GENERIC_SCIM_PROFILE = defineTargetProfile({
  name: 'generic-scim',
  title: 'SCIM 2.0 server',
  servesServiceProviderConfig: true,
  learnsFromServiceProviderConfig: true,
  capabilities: {
    resourceTypes: ['User', 'Group'],
    updateMethod: 'PATCH',
    filter: {
      supported: true,
      operators: ['eq'],
      logicalOperators: ['and'],
      attributes: 'any',
      maxResults: undefined,
    },
    paging: { kind: 'index', maxPageSize: 100 },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    sort: false,
    etag: false,
    maxMemberChangesPerPatch: undefined,
    valueCase: 'preserve',
    hasActive: true,
    userAttributes: 'any',
    maxEmails: undefined,
  },
  token: STANDARD_TOKEN_REQUEST,
  native: NO_NATIVE_CAPABILITIES,
  defaultConcurrency: DEFAULT_CONCURRENCY,
});
