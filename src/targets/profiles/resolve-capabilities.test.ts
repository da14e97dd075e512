import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALIBABA_RAM_PROFILE } from './alibaba-ram-profile.ts';
import { AWS_IDENTITY_CENTER_PROFILE } from './aws-identity-center-profile.ts';
import { GENERIC_SCIM_PROFILE } from './generic-scim-profile.ts';
import { resolveCapabilities } from './resolve-capabilities.ts';
import { findTargetProfile, TARGET_PROFILE_NAMES } from './target-profiles.ts';

/** RFC 7643 §8.5's example document. */
const RFC_7643_EXAMPLE = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  documentationUri: 'http://example.com/help/scim.html',
  patch: { supported: true },
  bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
  filter: { supported: true, maxResults: 200 },
  changePassword: { supported: true },
  sort: { supported: true },
  etag: { supported: true },
  authenticationSchemes: [{ name: 'OAuth Bearer Token', type: 'oauthbearertoken', primary: true }],
};

function resolved(...args: Parameters<typeof resolveCapabilities>) {
  const result = resolveCapabilities(...args);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result;
}

describe('resolveCapabilities', () => {
  it('keeps the profile as it is without a document', () => {
    const result = resolved(GENERIC_SCIM_PROFILE);
    assert.equal(result.value, GENERIC_SCIM_PROFILE.capabilities);
    assert.equal(result.learnt, false);
  });

  it('learns PATCH, Bulk limits, filter, sort and ETags for a generic SCIM server (RFC 7643 §8.5)', () => {
    const { value, learnt } = resolved(GENERIC_SCIM_PROFILE, RFC_7643_EXAMPLE);
    assert.equal(learnt, true);
    assert.equal(value.updateMethod, 'PATCH');
    assert.deepEqual(value.bulk, { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
    assert.equal(value.filter.maxResults, 200);
    assert.equal(value.sort, true);
    assert.equal(value.etag, true);
    assert.deepEqual(value.paging, { kind: 'index', maxPageSize: 100 });
  });

  it('falls back to PUT, no Bulk and no filters when the server says so or says nothing', () => {
    const { value } = resolved(GENERIC_SCIM_PROFILE, {
      patch: { supported: false },
      bulk: { supported: true, maxOperations: 0 },
    });
    assert.equal(value.updateMethod, 'PUT');
    assert.equal(value.bulk.supported, false);
    assert.equal(value.filter.supported, false);
    assert.deepEqual(value.filter.operators, []);
    assert.equal(value.sort, false);
  });

  it('accepts booleans and numbers sent as strings, as some servers do', () => {
    const { value } = resolved(GENERIC_SCIM_PROFILE, {
      patch: { supported: 'true' },
      bulk: { supported: 'True', maxOperations: '50', maxPayloadSize: '65536' },
      filter: { supported: 'true', maxResults: '25' },
    });
    assert.equal(value.updateMethod, 'PATCH');
    assert.deepEqual(value.bulk, { supported: true, maxOperations: 50, maxPayloadSize: 65536 });
    assert.equal(value.paging.maxPageSize, 25);
  });

  it('learns cursor paging from RFC 9865’s pagination section', () => {
    const { value } = resolved(GENERIC_SCIM_PROFILE, {
      ...RFC_7643_EXAMPLE,
      pagination: { cursor: true, index: false, maxPageSize: 50 },
    });
    assert.deepEqual(value.paging, { kind: 'cursor', maxPageSize: 50 });
  });

  it('refuses a malformed document with a clear error instead of throwing', () => {
    for (const document of [
      'not a document',
      null,
      { patch: { supported: 'maybe' } },
      { bulk: { supported: true, maxOperations: -1 } },
      { filter: true },
    ]) {
      const result = resolveCapabilities(GENERIC_SCIM_PROFILE, document);
      assert.equal(result.ok, false, JSON.stringify(document));
      if (!result.ok) {
        assert.equal(result.error.code, 'invalid_service_provider_config');
        assert.match(result.error.message, /^The target's \/ServiceProviderConfig is malformed \(.+\)$/);
      }
    }
  });

  it('keeps the documented limits of RAM and AWS whatever their document claims', () => {
    for (const profile of [ALIBABA_RAM_PROFILE, AWS_IDENTITY_CENTER_PROFILE]) {
      const { value, learnt } = resolved(profile, RFC_7643_EXAMPLE);
      assert.equal(learnt, false);
      assert.equal(value, profile.capabilities);
    }
    assert.equal(resolveCapabilities(ALIBABA_RAM_PROFILE, { patch: 'no' }).ok, false);
  });
});

describe('target profiles', () => {
  it('encode what REFERENCE.md §4 and §8 say of RAM and AWS', () => {
    const ram = ALIBABA_RAM_PROFILE.capabilities;
    assert.deepEqual(ram.resourceTypes, ['User']);
    assert.equal(ram.updateMethod, 'PUT');
    assert.deepEqual(ram.filter.operators, ['eq']);
    assert.deepEqual(ram.filter.attributes, { User: ['id', 'userName', 'externalId'] });
    assert.equal(ram.valueCase, 'lower');
    assert.equal(ram.hasActive, false);
    assert.deepEqual(ram.userAttributes, ['userName', 'displayName', 'externalId']);
    assert.deepEqual(ALIBABA_RAM_PROFILE.token, {
      clientAuthentication: 'client_secret_basic',
      parametersIn: 'query',
      defaultScope: '/acs/scim',
    });
    const aws = AWS_IDENTITY_CENTER_PROFILE.capabilities;
    assert.equal(aws.paging.kind, 'cursor');
    assert.equal(aws.bulk.supported, false);
    assert.equal(aws.maxMemberChangesPerPatch, 100);
    assert.equal(aws.maxEmails, 1);
  });

  it('are found by name and cannot be changed', () => {
    assert.deepEqual(TARGET_PROFILE_NAMES, [
      'generic-scim',
      'lockstep',
      'alibaba-ram',
      'aws-identity-center',
    ]);
    assert.equal(findTargetProfile('alibaba-ram'), ALIBABA_RAM_PROFILE);
    assert.equal(findTargetProfile('toString'), undefined);
    assert.throws(() => {
      (ALIBABA_RAM_PROFILE.capabilities.filter.operators as string[]).push('co');
    }, TypeError);
  });
});
