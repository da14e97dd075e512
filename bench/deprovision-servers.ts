import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, type ServerProcess, startServerProcess } from './child-process.ts';
import { createTenantWithApp, expectStatus, requestAccessToken, sendJson } from './push-http.ts';
import { ADMIN_TOKEN, type LockstepServer } from './push-servers.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RAM_EMULATOR_MAIN = join(REPO_ROOT, 'src', 'emulators', 'alibaba-ram', 'main.ts');
export const HUB_TENANT = 'bench';

export interface RamEmulatorServer extends ServerProcess {
  readonly clientId: string;
  readonly clientSecret: string;
  /** RAM's RPC endpoint as the SDK takes it: `127.0.0.1:<port>`, over http. */
  readonly rpcEndpoint: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

/** The Alibaba Cloud RAM emulator in its own process on loopback, with fresh OAuth and RPC credentials. */
export async function startRamEmulator(): Promise<RamEmulatorServer> {
  const port = await findFreePort();
  const credentials = {
    clientId: `bench${randomBytes(6).toString('hex')}`,
    clientSecret: randomBytes(24).toString('hex'),
    accessKeyId: `LTAI5tBench${randomBytes(6).toString('hex')}`,
    accessKeySecret: randomBytes(24).toString('hex'),
  };
  const server = await startServerProcess({
    name: 'RAM emulator',
    args: [
      RAM_EMULATOR_MAIN,
      ...['--port', String(port), '--host', '127.0.0.1'],
      ...['--client-id', credentials.clientId, '--client-secret', credentials.clientSecret],
      ...['--access-key-id', credentials.accessKeyId, '--access-key-secret', credentials.accessKeySecret],
    ],
    env: { ...process.env },
    port,
    readyPath: '/_emulator/state',
  });
  return { ...server, ...credentials, rpcEndpoint: `127.0.0.1:${port}` };
}

export interface HubSetup {
  /** A SCIM access token of the hub tenant's app. */
  readonly scimToken: string;
  readonly provisioningId: string;
  admin(method: string, path: string, body?: unknown): ReturnType<typeof sendJson>;
}

/**
 * A tenant with a SCIM app on the hub, an `alibaba-ram` target reaching the emulator over SCIM
 * (OAuth client credentials) and RAM's OpenAPI (the native API, full access), and a provisioning
 * of everyone with the default deprovision policy (delete; every kind of state may be cleared) —
 * but no deletion guard: the benchmark deletes a hundred users in a row, exactly what it stops.
 */
export async function setUpHub(hub: LockstepServer, ram: RamEmulatorServer): Promise<HubSetup> {
  const app = await createTenantWithApp(hub.url, ADMIN_TOKEN, HUB_TENANT);
  const scimToken = await requestAccessToken(hub.url, app);
  const admin = (method: string, path: string, body?: unknown) =>
    sendJson(`${hub.url}/api/tenants/${HUB_TENANT}${path}`, method, { body, token: ADMIN_TOKEN });
  const target = expectStatus(
    await admin('POST', '/targets', {
      name: 'RAM emulator',
      profile: 'alibaba-ram',
      connection: {
        baseUrl: ram.url,
        authentication: {
          kind: 'oauth_client_credentials',
          tokenUrl: `${ram.url}/v1/token`,
          clientId: ram.clientId,
          clientSecret: ram.clientSecret,
        },
      },
      nativeApi: {
        endpoint: ram.rpcEndpoint,
        protocol: 'http',
        accessKeyId: ram.accessKeyId,
        accessKeySecret: ram.accessKeySecret,
      },
    }),
    201,
    'creating the RAM target',
  );
  const provisioning = expectStatus(
    await admin('POST', '/provisionings', {
      name: 'to RAM',
      targetId: target.body.id,
      config: { deprovision: { deletionGuard: { enabled: false } } },
    }),
    201,
    'creating the provisioning',
  );
  const tested = expectStatus(
    await admin('POST', `/provisionings/${provisioning.body.id}/test`),
    200,
    'testing the provisioning',
  );
  if (tested.body.ok !== true)
    throw new Error(`The provisioning failed its test: ${JSON.stringify(tested.body.problems)}`);
  return { scimToken, provisioningId: provisioning.body.id as string, admin };
}
