/**
 * The production SCIM client and Test connectivity against a real Lockstep server on 127.0.0.1:0:
 * OAuth client credentials at the tenant's token endpoint (`/t/<tenant>/oauth2/token`, issue 3's
 * apps), Basic and post client authentication, and an app secret presented as a static bearer token.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/http/start-service.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import { GENERIC_SCIM_PROFILE } from '../../src/targets/profiles/generic-scim-profile.ts';
import { LOCKSTEP_PROFILE } from '../../src/targets/profiles/lockstep-profile.ts';
import { createScimClient } from '../../src/targets/scim-client/create-scim-client.ts';
import type { ScimConnectionInput } from '../../src/targets/scim-client/scim-connection.ts';
import { testConnectivity } from '../../src/targets/test-connectivity.ts';

describe('SCIM client against a Lockstep server', () => {
  let service: RunningService;
  let dataDir: string;
  let clientId: string;
  let clientSecret: string;
  let bearerSecret: string;
  let baseUrl: string;
  let tokenUrl: string;
  let stopped = false;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lockstep-targets-'));
    const config = loadConfig({
      PORT: '0',
      LOCKSTEP_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      LOCKSTEP_BULK_MAX_OPERATIONS: '250',
      LOCKSTEP_FILTER_MAX_RESULTS: '500',
    });
    service = await startService(config, createLogger({ level: 'silent' }));
    await service.auth.tenants.createTenant('acme');
    const oauthApp = await service.auth.apps.createApp('acme', { name: 'provisioning', scopes: ['scim'] });
    clientId = oauthApp.app.clientId;
    clientSecret = oauthApp.secret.value;
    const bearerApp = await service.auth.apps.createApp('acme', { name: 'static', secretAsBearer: true });
    bearerSecret = bearerApp.secret.value;
    baseUrl = `${service.url}/t/acme/scim/v2`;
    tokenUrl = `${service.url}/t/acme/oauth2/token`;
  });
  after(async () => {
    if (!stopped) await service?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const oauth = (overrides: Record<string, unknown> = {}) => ({
    kind: 'oauth_client_credentials' as const,
    tokenUrl,
    clientId,
    clientSecret,
    ...overrides,
  });
  const connection = (overrides: Partial<ScimConnectionInput> = {}): ScimConnectionInput => ({
    baseUrl,
    authentication: oauth(),
    ...overrides,
  });

  it('reports success and learns the deployment’s limits from /ServiceProviderConfig', async () => {
    const report = await testConnectivity({ profile: LOCKSTEP_PROFILE, connection: connection() });
    assert.equal(report.ok, true, JSON.stringify(report.steps));
    assert.deepEqual(
      report.steps.map((step) => [step.name, step.status]),
      [
        ['authenticate', 'ok'],
        ['service_provider_config', 'ok'],
        ['lookup', 'ok'],
      ],
    );
    assert.equal(report.capabilities?.updateMethod, 'PATCH');
    assert.deepEqual(report.capabilities?.bulk, {
      supported: true,
      maxOperations: 250,
      maxPayloadSize: 1024 * 1024,
    });
    assert.equal(report.capabilities?.filter.maxResults, 500);
    assert.deepEqual(report.capabilities?.paging, { kind: 'index', maxPageSize: 500 });
    assert.equal(report.capabilities?.sort, true);
    assert.equal(report.capabilities?.etag, true);
  });

  it('a generic SCIM profile learns the same, with client_secret_post or a static bearer token', async () => {
    for (const authentication of [
      oauth({ clientAuthentication: 'client_secret_post' }),
      { kind: 'bearer' as const, token: bearerSecret },
    ]) {
      const report = await testConnectivity({
        profile: GENERIC_SCIM_PROFILE,
        connection: connection({ authentication }),
      });
      assert.equal(report.ok, true, JSON.stringify(report.steps));
      assert.equal(report.capabilities?.bulk.maxOperations, 250);
    }
  });

  it('reports a wrong secret and a scope the app does not hold at the token endpoint', async () => {
    const problemOf = async (authentication: ReturnType<typeof oauth>) => {
      const report = await testConnectivity({
        profile: LOCKSTEP_PROFILE,
        connection: connection({ authentication }),
      });
      return report.steps.find((step) => step.status === 'failed')?.problem;
    };
    assert.equal(await problemOf(oauth({ clientSecret: 'lss_wrong' })), 'invalid_client');
    assert.equal(await problemOf(oauth({ scope: 'admin' })), 'invalid_scope');
    assert.equal(
      await problemOf(oauth({ tokenUrl: `${service.url}/t/acme/oauth/token` })),
      'token_endpoint_not_found',
    );
  });

  it('reports a refused bearer token and a wrong base URL distinctly', async () => {
    const wrongToken = await testConnectivity({
      profile: LOCKSTEP_PROFILE,
      connection: connection({ authentication: { kind: 'bearer', token: 'lss_not-a-real-token' } }),
    });
    const wrongBase = await testConnectivity({
      profile: LOCKSTEP_PROFILE,
      connection: connection({ baseUrl: `${service.url}/scim/v2` }),
    });
    const failedStep = (steps: typeof wrongToken.steps) => steps.find((step) => step.status === 'failed');
    assert.equal(failedStep(wrongToken.steps)?.problem, 'token_rejected');
    assert.equal(failedStep(wrongToken.steps)?.name, 'service_provider_config');
    assert.equal(wrongBase.steps[1]?.status, 'warning', 'no /ServiceProviderConfig there');
    assert.equal(failedStep(wrongBase.steps)?.problem, 'base_url_not_found');
    assert.notEqual(failedStep(wrongToken.steps)?.message, failedStep(wrongBase.steps)?.message);
  });

  it('creates, finds, patches and deletes a user through the client', async () => {
    const client = createScimClient(connection());
    const created = await client.request('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'grace@example.com',
      displayName: 'Grace',
    });
    assert.ok(created.ok, created.ok ? '' : created.error.message);
    assert.equal(created.status, 201);
    const id = (created.body as { id: string }).id;
    const duplicate = await client.request('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'GRACE@example.com',
    });
    assert.equal(duplicate.ok, false);
    if (!duplicate.ok) {
      assert.equal(duplicate.error.kind, 'conflict');
      assert.equal(duplicate.error.scimType, 'uniqueness');
    }
    const found = await client.request(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "grace@example.com"')}`,
    );
    assert.ok(found.ok);
    assert.equal((found.body as { totalResults: number }).totalResults, 1);
    const patched = await client.request('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    assert.ok(patched.ok, patched.ok ? '' : patched.error.message);
    const deleted = await client.request('DELETE', `/Users/${id}`);
    assert.ok(deleted.ok);
    assert.equal(deleted.status, 204);
    const gone = await client.request('GET', `/Users/${id}`);
    assert.equal(gone.ok, false);
    if (!gone.ok) assert.equal(gone.error.kind, 'not_found');
  });

  it('reports a stopped server as unreachable', async () => {
    const client = createScimClient(connection(), {
      retryPolicy: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
    });
    await service.close();
    stopped = true;
    const answer = await client.request('GET', '/Users');
    assert.equal(answer.ok, false);
    if (!answer.ok) {
      assert.equal(answer.error.kind, 'unreachable');
      assert.equal(answer.error.networkCode, 'ECONNREFUSED');
    }
    const problemOf = async (authentication: ScimConnectionInput['authentication']) => {
      const report = await testConnectivity({
        profile: LOCKSTEP_PROFILE,
        connection: connection({ authentication }),
      });
      return report.steps.find((step) => step.status === 'failed')?.problem;
    };
    assert.equal(await problemOf(oauth()), 'token_endpoint_unreachable');
    assert.equal(await problemOf({ kind: 'bearer', token: bearerSecret }), 'target_unreachable');
  });
});
