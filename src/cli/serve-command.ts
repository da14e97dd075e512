import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { startService } from '../http/start-service.ts';
import { createLogger } from '../logging/create-logger.ts';

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
      const logger = createLogger({ level: config.logLevel });
      const service = await startService(config, logger);
      const origin = config.publicUrl ?? service.url;
      console.log(`Lockstep is listening on ${service.url}`);
      if ((await service.tenants.countTenants()) === 0) {
        await service.tenants.createTenant(DEFAULT_TENANT, 'Default tenant');
        const { token } = await service.tenants.createToken(DEFAULT_TENANT, 'first start');
        console.log(`First start: created tenant "${DEFAULT_TENANT}".`);
        console.log(`  SCIM base URL: ${origin}/t/${DEFAULT_TENANT}/scim/v2`);
        console.log(`  Bearer token (shown once, store it now): ${token}`);
      } else {
        for (const tenant of await service.tenants.listTenants()) {
          console.log(`  Tenant "${tenant.id}": SCIM base URL ${origin}/t/${tenant.id}/scim/v2`);
        }
        console.log('  Get a bearer token with: npx lockstep token create --tenant <id>');
      }
      const stop = async (signal: string) => {
        logger.info({ signal }, 'shutting down');
        await service.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
