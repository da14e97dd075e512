import type { Command } from 'commander';
import type { ItemList, SigningKey } from './admin-api-types.ts';
import { type AdminOptions, addAdminOptions, addJsonOption, connectAdmin } from './admin-command.ts';
import { cell, printJson, printTable } from './cli-output.ts';

type JsonOptions = AdminOptions & { json?: boolean };

export function registerSigningKeyCommands(program: Command): void {
  const keys = program
    .command('signing-key')
    .description('Manage the keys that sign access tokens (published at /t/<tenant>/oauth2/jwks)');

  addJsonOption(addAdminOptions(keys.command('list')))
    .description('List signing keys, the active one and those retired')
    .action(async (options: JsonOptions) => {
      const list = await connectAdmin(options).get<ItemList<SigningKey>>('/signing-keys');
      if (options.json) return printJson(list);
      printTable(
        ['KID', 'ALG', 'STATUS', 'CREATED', 'RETIRED'],
        list.items.map((k) => [k.kid, k.alg, k.status, k.createdAt, cell(k.retiredAt)]),
      );
    });

  addJsonOption(addAdminOptions(keys.command('rotate')))
    .description('Make a new active signing key; tokens signed by the old one stay valid until they expire')
    .action(async (options: JsonOptions) => {
      const key = await connectAdmin(options).post<SigningKey>('/signing-keys/rotate');
      if (options.json) return printJson(key);
      console.log(`New active signing key ${key.kid} (${key.alg}).`);
    });
}
