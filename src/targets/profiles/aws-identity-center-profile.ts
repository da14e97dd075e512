import { DEFAULT_CONCURRENCY, defineTargetProfile, STANDARD_TOKEN_REQUEST } from './target-profile.ts';

/**
 * AWS IAM Identity Center's SCIM endpoint (REFERENCE.md §8): `eq` (with `and`) only, on the
 * attributes it documents; cursor paging with `count` up to 100 and no startIndex; no Bulk; at most
 * 100 membership changes per Group PATCH; one e-mail per user. Authentication is the console's
 * static access token. Account assignments and live sessions need the native APIs.
 */
export const AWS_IDENTITY_CENTER_PROFILE = defineTargetProfile({
  name: 'aws-identity-center',
  title: 'AWS IAM Identity Center',
  servesServiceProviderConfig: true,
  learnsFromServiceProviderConfig: false,
  capabilities: {
    resourceTypes: ['User', 'Group'],
    updateMethod: 'PATCH',
    filter: {
      supported: true,
      operators: ['eq'],
      logicalOperators: ['and'],
      attributes: {
        User: ['id', 'userName', 'externalId', 'manager'],
        Group: ['displayName', 'externalId'],
      },
      maxResults: 100,
    },
    paging: { kind: 'cursor', maxPageSize: 100 },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    sort: false,
    etag: false,
    maxMemberChangesPerPatch: 100,
    valueCase: 'preserve',
    hasActive: true,
    userAttributes: 'any',
    maxEmails: 1,
  },
  token: STANDARD_TOKEN_REQUEST,
  native: {
    api: 'aws-identity-store-and-sso-admin',
    clearsDeleteBlockers: false,
    removesAccountAssignments: true,
    revokesSessions: true,
  },
  defaultConcurrency: DEFAULT_CONCURRENCY,
});
