import type { Command } from 'commander';
import { createTenantService, TenantError } from '../auth/tenant-service.ts';
import { printTable } from './cli-output.ts';
import { withStorage } from './with-storage.ts';

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description("Manage a tenant's SCIM bearer tokens");

  token
    .command('create')
    .description('Create a bearer token; its value is printed once and stored only as a hash')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--label <label>', 'what the token is for, e.g. "entra"', 'default')
    .option('--json', 'print JSON')
    .action(async (options: { tenant: string; label: string; json?: boolean }) => {
      const created = await withStorage((storage) =>
        createTenantService(storage).createToken(options.tenant, options.label),
      );
      if (options.json)
        console.log(JSON.stringify({ id: created.id, tenant: options.tenant, token: created.token }));
      else {
        console.log(`Token ${created.id} for tenant "${options.tenant}" (shown once; store it now):`);
        console.log(created.token);
      }
    });

  token
    .command('list')
    .description("List a tenant's tokens (ids and dates, never values)")
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'print JSON')
    .action(async (options: { tenant: string; json?: boolean }) => {
      const tokens = await withStorage((storage) => createTenantService(storage).listTokens(options.tenant));
      if (options.json) console.log(JSON.stringify(tokens));
      else
        printTable(
          ['ID', 'LABEL', 'CREATED', 'LAST USED'],
          tokens.map((t) => [t.id, t.label, t.created_at, t.last_used_at ?? '-']),
        );
    });

  token
    .command('revoke')
    .description('Revoke a token; requests with it fail from now on')
    .requiredOption('--tenant <id>', 'tenant id')
    .argument('<token-id>', 'the token id shown by "token list"')
    .action(async (tokenId: string, options: { tenant: string }) => {
      const revoked = await withStorage((storage) =>
        createTenantService(storage).revokeToken(options.tenant, tokenId),
      );
      if (!revoked)
        throw new TenantError('not_found', `Token ${tokenId} not found in tenant "${options.tenant}"`);
      console.log(`Revoked token ${tokenId}.`);
    });
}
