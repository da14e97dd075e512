/**
 * The production SCIM client and Test connectivity against the Alibaba Cloud RAM emulator, run as
 * its own process: tokens obtained RAM's way (REFERENCE.md §4: query-string parameters, HTTP Basic,
 * `expires_in` a string), reused and renewed; faults (429 with Retry-After, 500, 503, latency)
 * injected through the emulator's control API; and every misconfiguration reported distinctly.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { ALIBABA_RAM_PROFILE } from '../../src/targets/profiles/alibaba-ram-profile.ts';
import { GENERIC_SCIM_PROFILE } from '../../src/targets/profiles/generic-scim-profile.ts';
import {
  createScimClient,
  type ScimClientOptions,
} from '../../src/targets/scim-client/create-scim-client.ts';
import type { ScimConnectionInput } from '../../src/targets/scim-client/scim-connection.ts';
import { type ConnectivityReport, testConnectivity } from '../../src/targets/test-connectivity.ts';
import { CLIENT_ID, CLIENT_SECRET, useEmulatorProcess, userBody } from '../emulators/ram-emulator-process.ts';
import { findClosedPort } from './free-port.ts';

describe('SCIM client against the Alibaba Cloud RAM emulator', () => {
  const emulator = useEmulatorProcess();
  beforeEach(async () => {
    assert.equal((await emulator.control('POST', '/reset')).status, 204);
  });

  const oauth = (overrides: Record<string, unknown> = {}) => ({
    kind: 'oauth_client_credentials' as const,
    tokenUrl: `${emulator.url}/v1/token`,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...overrides,
  });
  const connection = (overrides: Partial<ScimConnectionInput> = {}): ScimConnectionInput => ({
    baseUrl: emulator.url,
    authentication: oauth(),
    ...overrides,
  });
  const ramClient = (options: ScimClientOptions = {}, overrides: Partial<ScimConnectionInput> = {}) =>
    createScimClient(connection(overrides), { tokenConvention: ALIBABA_RAM_PROFILE.token, ...options });
  const journal = async () =>
    (await emulator.control('GET', '/requests')).body as { method: string; url: string; status: number }[];
  const tokenRequests = async () => (await journal()).filter((entry) => entry.url.startsWith('/v1/token'));

  describe('tokens', () => {
    it('asks RAM’s way — parameters in the query string, the secret only in Basic — and reuses the token', async () => {
      const client = ramClient();
      const created = await client.request('POST', '/Users', userBody('alice', 'Alice', 'ext-1'));
      assert.ok(created.ok, created.ok ? '' : created.error.message);
      assert.equal(created.status, 201);
      const id = (created.body as { id: string }).id;
      const read = await client.request('GET', `/Users/${id}`);
      assert.ok(read.ok);
      assert.equal((read.body as { userName: string }).userName, 'alice');
      const requests = await tokenRequests();
      assert.equal(requests.length, 1, 'one token for both requests');
      const query = new URL(requests[0]?.url ?? '', 'http://x').searchParams;
      assert.equal(query.get('grant_type'), 'client_credentials');
      assert.equal(query.get('client_id'), CLIENT_ID);
      assert.equal(query.get('scope'), '/acs/scim');
      assert.equal(query.get('client_secret'), null, 'the secret never goes into a URL');
    });

    it('shares one token request among concurrent requests', async () => {
      const client = ramClient();
      const answers = await Promise.all(Array.from({ length: 10 }, () => client.request('GET', '/Users')));
      assert.ok(answers.every((answer) => answer.ok));
      assert.equal((await tokenRequests()).length, 1);
    });

    it('renews the token before it expires (string expires_in "3599" read as seconds)', async () => {
      let clock = Date.now();
      const client = ramClient({ now: () => clock });
      assert.ok((await client.request('GET', '/Users')).ok);
      clock += 3_500_000; // 58 min 20 s: more than 60 s left of 3599 s, the token is kept
      assert.ok((await client.request('GET', '/Users')).ok);
      assert.equal((await tokenRequests()).length, 1);
      clock += 40_000; // now less than 60 s are left: renewed before use
      assert.ok((await client.request('GET', '/Users')).ok);
      assert.equal((await tokenRequests()).length, 2);
    });

    it('after RAM expired or revoked the token, drops it on the 401 and retries once with a new one', async () => {
      const client = ramClient();
      assert.ok((await client.request('GET', '/Users')).ok);
      await emulator.control('POST', '/clock', { advanceSeconds: 3600 });
      const afterExpiry = await client.request('GET', '/Users');
      assert.ok(afterExpiry.ok, afterExpiry.ok ? '' : afterExpiry.error.message);
      await emulator.control('POST', '/tokens/revoke', {});
      assert.ok((await client.request('GET', '/Users')).ok);
      const statuses = (await journal()).map((entry) => `${entry.url.split('?')[0]} ${entry.status}`);
      assert.deepEqual(statuses, [
        '/v1/token 200',
        '/Users 200',
        '/Users 401',
        '/v1/token 200',
        '/Users 200',
        '/Users 401',
        '/v1/token 200',
        '/Users 200',
      ]);
    });

    it('reports a wrong secret as unauthorized at the token phase, without the secret', async () => {
      const client = ramClient({}, { authentication: oauth({ clientSecret: 'not-the-secret-4711' }) });
      const answer = await client.request('GET', '/Users');
      assert.equal(answer.ok, false);
      if (answer.ok) return;
      assert.equal(answer.error.kind, 'unauthorized');
      assert.equal(answer.error.phase, 'token');
      assert.equal(answer.error.oauthError, 'invalid_client');
      assert.doesNotMatch(JSON.stringify(answer.error), /not-the-secret-4711|client_id=/);
    });
  });

  describe('failures and retries', () => {
    const recordingSleep = () => {
      const delays: number[] = [];
      return { delays, sleep: async (ms: number) => void delays.push(ms) };
    };

    it('waits out a 429 for at least its Retry-After, then succeeds', async () => {
      const { delays, sleep } = recordingSleep();
      const client = ramClient({ sleep });
      await client.authenticate();
      await emulator.control('POST', '/faults', { status: 429, retryAfterSeconds: 2, times: 1 });
      const answer = await client.request('POST', '/Users', userBody('bob', 'Bob'));
      assert.ok(answer.ok, answer.ok ? '' : answer.error.message);
      assert.equal(delays.length, 1);
      assert.ok((delays[0] ?? 0) >= 2000, `waited ${delays[0]} ms`);
    });

    it('returns rate_limited with retryAfterMs when the Retry-After is longer than it waits in-process', async () => {
      const { delays, sleep } = recordingSleep();
      const client = ramClient({ sleep });
      await client.authenticate();
      await emulator.control('POST', '/faults', { status: 503, retryAfterSeconds: 120, times: 1 });
      const answer = await client.request('GET', '/Users');
      assert.equal(answer.ok, false);
      if (answer.ok) return;
      assert.equal(answer.error.kind, 'server_error');
      assert.equal(answer.error.status, 503);
      assert.equal(answer.error.retryAfterMs, 120_000);
      assert.deepEqual(delays, []);
    });

    it('retries a GET after a 500 but not a POST, which may have taken effect', async () => {
      const { delays, sleep } = recordingSleep();
      const client = ramClient({ sleep, random: () => 0.5 });
      await client.authenticate();
      await emulator.control('POST', '/faults', { status: 500, times: 2 });
      const read = await client.request('GET', '/Users');
      assert.ok(read.ok);
      assert.deepEqual(delays, [125, 250]);
      await emulator.control('POST', '/faults', { status: 500, times: 1 });
      const create = await client.request('POST', '/Users', userBody('carol', 'Carol'));
      assert.equal(create.ok, false);
      if (!create.ok) {
        assert.equal(create.error.kind, 'server_error');
        assert.equal(
          create.error.detail,
          'InternalError: The request processing has failed due to some unknown error.',
        );
      }
      assert.equal(delays.length, 2);
    });

    it('gives up after maxAttempts and keeps the last error', async () => {
      const { delays, sleep } = recordingSleep();
      const client = ramClient({ sleep });
      await client.authenticate();
      await emulator.control('POST', '/faults', { status: 503, retryAfterSeconds: 0 });
      const answer = await client.request('GET', '/Users');
      assert.equal(answer.ok, false);
      assert.equal(delays.length, 2, 'three tries in all');
      assert.equal((await journal()).filter((entry) => entry.status === 503).length, 3);
    });

    it('retries a token endpoint outage even before a POST, since nothing was sent yet', async () => {
      const { delays, sleep } = recordingSleep();
      await emulator.control('POST', '/faults', {
        surface: 'token',
        status: 503,
        retryAfterSeconds: 1,
        times: 1,
      });
      const answer = await ramClient({ sleep }).request('POST', '/Users', userBody('dave', 'Dave'));
      assert.ok(answer.ok, answer.ok ? '' : answer.error.message);
      assert.deepEqual(delays.length, 1);
    });

    it('times out a slow answer', async () => {
      const client = ramClient({}, { timeoutMs: 200 });
      await client.authenticate();
      await emulator.control('POST', '/faults', { latencyMs: 1500, times: 1 });
      const started = Date.now();
      const answer = await client.request('POST', '/Users', userBody('erin', 'Erin'));
      assert.ok(Date.now() - started < 1400, 'did not wait for the answer');
      assert.equal(answer.ok, false);
      if (!answer.ok) assert.equal(answer.error.kind, 'timeout');
    });

    it('answers PUT for updates and 501 for PATCH, as RAM’s profile says', async () => {
      const client = ramClient();
      const created = await client.request('POST', '/Users', userBody('frank', 'Frank'));
      assert.ok(created.ok);
      const id = (created.body as { id: string }).id;
      const put = await client.request('PUT', `/Users/${id}`, userBody('frank', 'Frank F.'));
      assert.ok(put.ok);
      assert.equal(ALIBABA_RAM_PROFILE.capabilities.updateMethod, 'PUT');
      const patch = await client.request('PATCH', `/Users/${id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'displayName', value: 'x' }],
      });
      assert.equal(patch.ok, false);
      if (!patch.ok) assert.equal(patch.error.status, 501);
    });
  });

  describe('test connectivity', () => {
    const check = (
      overrides: Partial<ScimConnectionInput> = {},
      extra: { matchingAttribute?: string } = {},
    ) => testConnectivity({ profile: ALIBABA_RAM_PROFILE, connection: connection(overrides), ...extra });
    const failure = (report: ConnectivityReport) => {
      assert.equal(report.ok, false, JSON.stringify(report.steps));
      const failed = report.steps.find((step) => step.status === 'failed');
      assert.ok(failed);
      return failed;
    };
    const assertPlain = (report: ConnectivityReport) => {
      const text = JSON.stringify(report);
      assert.doesNotMatch(text, /\n\s+at |Error:|TypeError/, 'no stack traces');
      assert.doesNotMatch(text, new RegExp(CLIENT_SECRET), 'no secret');
      assert.doesNotMatch(text, /eyJ/, 'no token');
    };

    it('reports success: token, RAM’s documented capabilities, an empty lookup', async () => {
      const report = await check();
      assertPlain(report);
      assert.equal(report.ok, true, JSON.stringify(report.steps));
      assert.deepEqual(
        report.steps.map((step) => [step.name, step.status]),
        [
          ['authenticate', 'ok'],
          ['service_provider_config', 'skipped'],
          ['lookup', 'ok'],
        ],
      );
      assert.equal(report.capabilities?.updateMethod, 'PUT');
      const lookup = (await journal()).find((entry) => entry.url.startsWith('/Users'));
      assert.match(
        decodeURIComponent(lookup?.url ?? ''),
        /^\/Users\?filter=userName eq "lockstep-connectivity-check-[0-9a-f]{12}"$/,
      );
    });

    it('reports each misconfiguration with its own plain message', async () => {
      const closedPort = await findClosedPort();
      const cases = {
        wrongBaseUrl: [check({ baseUrl: `${emulator.url}/scim/v2` }), 'base_url_not_found', 'lookup'],
        wrongSecret: [
          check({ authentication: oauth({ clientSecret: 'wrong-secret' }) }),
          'invalid_client',
          'authenticate',
        ],
        wrongScope: [
          check({ authentication: oauth({ scope: '/acs/ecs' }) }),
          'invalid_scope',
          'authenticate',
        ],
        wrongTokenUrl: [
          check({ authentication: oauth({ tokenUrl: `${emulator.url}/oauth/token` }) }),
          'token_endpoint_not_found',
          'authenticate',
        ],
        targetDown: [check({ baseUrl: `http://127.0.0.1:${closedPort}` }), 'target_unreachable', 'lookup'],
        everythingDown: [
          check({
            baseUrl: `http://127.0.0.1:${closedPort}`,
            authentication: oauth({ tokenUrl: `http://127.0.0.1:${closedPort}/v1/token` }),
          }),
          'token_endpoint_unreachable',
          'authenticate',
        ],
        tls: [
          check({
            authentication: oauth({ tokenUrl: `${emulator.url.replace('http:', 'https:')}/v1/token` }),
          }),
          'token_endpoint_tls',
          'authenticate',
        ],
        badBearer: [
          check({ authentication: { kind: 'bearer', token: 'not-a-token' } }),
          'token_rejected',
          'lookup',
        ],
        attributeRamCannotFilter: [
          check({}, { matchingAttribute: 'emails' }),
          'matching_attribute_unsupported',
          'lookup',
        ],
        invalidSettings: [check({ baseUrl: 'scim.aliyun.com' }), 'invalid_configuration', 'configuration'],
      } as const;
      const messages = new Map<string, string>();
      for (const [name, [pending, problem, step]] of Object.entries(cases)) {
        const report = await pending;
        assertPlain(report);
        const failed = failure(report);
        assert.equal(failed.problem, problem, `${name}: ${failed.message}`);
        assert.equal(failed.name, step, name);
        assert.equal(report.capabilities, undefined);
        messages.set(name, failed.message);
      }
      assert.equal(new Set(messages.values()).size, messages.size, [...messages.values()].join('\n'));
      assert.match(messages.get('wrongBaseUrl') ?? '', /Check the SCIM base URL/);
      assert.match(messages.get('wrongSecret') ?? '', /client id and the client secret/);
      assert.match(messages.get('wrongScope') ?? '', /"\/acs\/ecs"/);
      assert.match(messages.get('targetDown') ?? '', /connection refused/);
      assert.match(messages.get('tls') ?? '', /does not speak TLS/);
    });

    it('reports a token without the SCIM scope as 403, a filter RAM refuses, throttling and an outage', async () => {
      const app = (await emulator.control('POST', '/oauth-apps', { scopes: ['/acs/other'] })).body as {
        clientId: string;
        clientSecret: string;
      };
      const forbidden = failure(
        await check({
          authentication: oauth({
            clientId: app.clientId,
            clientSecret: app.clientSecret,
            scope: '/acs/other',
          }),
        }),
      );
      assert.equal(forbidden.problem, 'forbidden');
      assert.equal(forbidden.httpStatus, 403);

      // A generic SCIM profile lets the user pick any attribute; RAM refuses it with invalidFilter.
      const unsupported = await testConnectivity({
        profile: GENERIC_SCIM_PROFILE,
        connection: connection({ authentication: oauth({ scope: '/acs/scim' }) }),
        matchingAttribute: 'displayName',
      });
      assert.equal(failure(unsupported).problem, 'filter_unsupported');

      await emulator.control('POST', '/faults', { status: 429, retryAfterSeconds: 7, times: 1 });
      const throttled = failure(await check());
      assert.equal(throttled.problem, 'rate_limited');
      assert.match(throttled.message, /wait 7 s/);

      await emulator.control('POST', '/faults', { status: 500, times: 1 });
      assert.equal(failure(await check()).problem, 'target_failed');

      await emulator.control('POST', '/faults', { latencyMs: 1000, times: 1 });
      assert.equal(failure(await check({ timeoutMs: 200 })).problem, 'target_timeout');
    });

    it('learns PUT-only from the emulator’s /ServiceProviderConfig with the generic profile', async () => {
      const report = await testConnectivity({
        profile: GENERIC_SCIM_PROFILE,
        connection: connection({ authentication: oauth({ scope: '/acs/scim' }) }),
      });
      assert.equal(report.ok, true, JSON.stringify(report.steps));
      assert.equal(report.steps[1]?.status, 'ok');
      assert.equal(report.capabilities?.updateMethod, 'PUT');
      assert.equal(report.capabilities?.bulk.supported, false);
      assert.equal(report.capabilities?.filter.maxResults, 100);
    });
  });
});
