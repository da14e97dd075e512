import { DEFAULT_CONCURRENCY, defineTargetProfile } from './target-profile.ts';

/**
 * Alibaba Cloud RAM's SCIM API (REFERENCE.md §4): Users only, with four attributes; `eq` and `and`
 * on id, userName and externalId; updates by PUT (PATCH is undocumented); IDaaS lower-cases the
 * values it sends; no disabled state, so revocation is deletion; no e-mail. What blocks a delete
 * (§5) only the RAM OpenAPI can clear. RAM documents no `/ServiceProviderConfig`, so none is read.
 */
export const ALIBABA_RAM_PROFILE = defineTargetProfile({
  name: 'alibaba-ram',
  title: 'Alibaba Cloud RAM',
  servesServiceProviderConfig: false,
  learnsFromServiceProviderConfig: false,
  capabilities: {
    resourceTypes: ['User'],
    updateMethod: 'PUT',
    filter: {
      supported: true,
      operators: ['eq'],
      logicalOperators: ['and'],
      attributes: { User: ['id', 'userName', 'externalId'] },
      maxResults: 100,
    },
    paging: { kind: 'index', maxPageSize: 100 },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    sort: false,
    etag: false,
    maxMemberChangesPerPatch: undefined,
    valueCase: 'lower',
    hasActive: false,
    userAttributes: ['userName', 'displayName', 'externalId'],
    maxEmails: 0,
  },
  /** `POST https://oauth.aliyun.com/v1/token?grant_type=client_credentials&client_id=…` with Basic. */
  token: { clientAuthentication: 'client_secret_basic', parametersIn: 'query', defaultScope: '/acs/scim' },
  native: {
    api: 'alibaba-ram-openapi',
    clearsDeleteBlockers: true,
    removesAccountAssignments: false,
    revokesSessions: false,
  },
  defaultConcurrency: DEFAULT_CONCURRENCY,
});
