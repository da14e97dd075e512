import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICE_PROVIDER_CONFIG_SCHEMA } from '../schema/schema-urns.ts';
import { buildServiceProviderConfig } from './build-service-provider-config.ts';

const OPTIONS = {
  baseUrl: 'https://scim.example.com/scim/v2/',
  bulk: { maxOperations: 1000, maxPayloadSize: 1_048_576 },
  filterMaxResults: 200,
};

describe('buildServiceProviderConfig', () => {
  it('advertises what the server supports (RFC 7643 §5)', () => {
    assert.deepEqual(buildServiceProviderConfig(OPTIONS), {
      schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1_048_576 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'Authentication scheme using the OAuth Bearer Token Standard',
          specUri: 'https://www.rfc-editor.org/info/rfc6750',
          primary: true,
        },
      ],
      meta: {
        resourceType: 'ServiceProviderConfig',
        location: 'https://scim.example.com/scim/v2/ServiceProviderConfig',
      },
    });
  });

  it('includes documentationUri only when configured', () => {
    assert.equal('documentationUri' in buildServiceProviderConfig(OPTIONS), false);
    const config = buildServiceProviderConfig({
      ...OPTIONS,
      documentationUri: 'https://docs.example.com/scim',
    });
    assert.equal(config.documentationUri, 'https://docs.example.com/scim');
  });

  it('returns a fresh document each time', () => {
    const first = buildServiceProviderConfig(OPTIONS);
    assert.notEqual(
      first.authenticationSchemes[0],
      buildServiceProviderConfig(OPTIONS).authenticationSchemes[0],
    );
  });
});
