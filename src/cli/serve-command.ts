import type { Command } from 'commander';
import type { Auth } from '../auth/create-auth.ts';
import { loadConfig } from '../config.ts';

const DEFAULT_TENANT = 'default';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the service (SQLite under ./data unless DATABASE_URL is set)')
    .option('--port <port>', 'port to listen on (default: $PORT or 8080)')
    .option('--host <host>', 'address to listen on (default: $HOST or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const config = loadConfig({
        ...process.env,
        ...(options.port !== undefined ? { PORT: options.port } : {}),
        ...(options.host !== undefined ? { HOST: options.host } : {}),
      });
      // Imported here, not at the top: the admin commands need none of the server (it is most of the CLI's start time).
      const { createLogger } = await import('../logging/create-logger.ts');
      const { startService } = await import('../http/start-service.ts');
      const logger = createLogger({ level: config.logLevel });
      const service = await startService(config, logger);
      const origin = config.publicUrl ?? service.url;
      console.log(`Lockstep is listening on ${service.url}`);
      await firstStart(service.auth, origin);
      const stop = async (signal: string) => {
        logger.info({ signal }, 'shutting down');
        await service.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}

/**
 * On an empty database: an admin token (unless LOCKSTEP_ADMIN_TOKEN supplies one), the tenant
 * `default` and an app for it. Every secret is printed here once and stored only as a hash.
 */
async function firstStart(auth: Auth, origin: string): Promise<void> {
  if (!auth.adminTokens.hasEnvironmentToken() && (await auth.adminTokens.countAdminTokens()) === 0) {
    const { value } = await auth.adminTokens.createAdminToken({ label: 'first start', scope: 'admin' });
    console.log('First start: created an admin token for the admin API (/api) and the CLI.');
    console.log(`  Admin token (shown once, store it now): ${value}`);
    console.log('  Use it with: export LOCKSTEP_ADMIN_TOKEN=<token>; npx lockstep tenant list');
  }
  if ((await auth.tenants.countTenants()) === 0) {
    await auth.tenants.createTenant(DEFAULT_TENANT, 'Default tenant');
    const { app, secret } = await auth.apps.createApp(DEFAULT_TENANT, {
      name: 'default',
      scopes: ['scim'],
      secretAsBearer: true,
    });
    console.log(`First start: created tenant "${DEFAULT_TENANT}" with an OAuth app.`);
    console.log(`  SCIM base URL:   ${origin}/t/${DEFAULT_TENANT}/scim/v2`);
    console.log(`  Token endpoint:  ${origin}/t/${DEFAULT_TENANT}/oauth2/token`);
    console.log(`  Client id:       ${app.clientId}`);
    console.log(
      `  Client secret (shown once, store it now; also accepted as a bearer token): ${secret.value}`,
    );
    return;
  }
  for (const tenant of await auth.tenants.listTenants()) {
    console.log(`  Tenant "${tenant.id}": SCIM base URL ${origin}/t/${tenant.id}/scim/v2`);
  }
  console.log(
    '  Create an app (client id and secret) with: npx lockstep app create --tenant <id> --name <name>',
  );
}
