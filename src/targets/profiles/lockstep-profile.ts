import {
  ALL_FILTER_OPERATORS,
  defineTargetProfile,
  NO_NATIVE_CAPABILITIES,
  STANDARD_TOKEN_REQUEST,
} from './target-profile.ts';

/**
 * Another Lockstep tenant: a complete SCIM server (src/scim). Its Bulk and result limits are
 * deployment settings, so its `/ServiceProviderConfig` has the last word on them.
 */
export const LOCKSTEP_PROFILE = defineTargetProfile({
  name: 'lockstep',
  title: 'Lockstep',
  servesServiceProviderConfig: true,
  learnsFromServiceProviderConfig: true,
  capabilities: {
    resourceTypes: ['User', 'Group'],
    updateMethod: 'PATCH',
    filter: {
      supported: true,
      operators: ALL_FILTER_OPERATORS,
      logicalOperators: ['and', 'or', 'not'],
      attributes: 'any',
      maxResults: 1000,
    },
    paging: { kind: 'index', maxPageSize: 1000 },
    bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1024 * 1024 },
    sort: true,
    etag: true,
    maxMemberChangesPerPatch: undefined,
    valueCase: 'preserve',
    hasActive: true,
    userAttributes: 'any',
    maxEmails: undefined,
  },
  token: STANDARD_TOKEN_REQUEST,
  native: NO_NATIVE_CAPABILITIES,
  // A Lockstep batches the writes of requests that arrive together into one commit: with more in
  // flight it does less work per user (a 100,000-user full push: decision 0016, session 5).
  defaultConcurrency: 16,
});
