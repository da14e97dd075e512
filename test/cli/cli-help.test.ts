/** `--help` of every command exits 0 and names the command's options (no server needed). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './cli-process.ts';

describe('lockstep --help', { concurrency: 4 }, () => {
  const ADMIN = ['--url', '--token'];
  const COMMANDS: [string[], string[]][] = [
    [[], ['serve', 'tenant', 'app', 'secret', 'token', 'audit', 'signing-key', 'Exit codes', '69']],
    [['serve'], ['--port', '--host']],
    [['tenant'], ['create', 'list', 'show', 'rename', 'disable', 'enable', 'delete']],
    [
      ['tenant', 'create'],
      [...ADMIN, '--name', '--json'],
    ],
    [
      ['tenant', 'list'],
      [...ADMIN, '--json'],
    ],
    [
      ['tenant', 'show'],
      [...ADMIN, '--json'],
    ],
    [
      ['tenant', 'rename'],
      [...ADMIN, '<name>'],
    ],
    [['tenant', 'disable'], ADMIN],
    [['tenant', 'enable'], ADMIN],
    [
      ['tenant', 'delete'],
      [...ADMIN, '--yes'],
    ],
    [['app'], ['create', 'list', 'show', 'update', 'enable', 'disable', 'delete']],
    [
      ['app', 'create'],
      [...ADMIN, '--tenant', '--name', '--scope', '--token-ttl', '--secret-as-bearer', '--json'],
    ],
    [
      ['app', 'list'],
      [...ADMIN, '--tenant', '--json'],
    ],
    [
      ['app', 'show'],
      [...ADMIN, '--tenant', '--json'],
    ],
    [
      ['app', 'update'],
      [...ADMIN, '--tenant', '--name', '--scope', '--token-ttl', '--no-secret-as-bearer'],
    ],
    [
      ['app', 'enable'],
      [...ADMIN, '--tenant'],
    ],
    [
      ['app', 'disable'],
      [...ADMIN, '--tenant'],
    ],
    [
      ['app', 'delete'],
      [...ADMIN, '--tenant', '--yes'],
    ],
    [['secret'], ['create', 'list', 'delete']],
    [
      ['secret', 'create'],
      [...ADMIN, '--tenant', '--app', '--json'],
    ],
    [
      ['secret', 'list'],
      [...ADMIN, '--tenant', '--app', '--json'],
    ],
    [
      ['secret', 'delete'],
      [...ADMIN, '--tenant', '--app', '--yes'],
    ],
    [['token'], ['create', 'list', 'revoke']],
    [
      ['token', 'create'],
      [...ADMIN, '--label', '--scope', '--tenant', '--json'],
    ],
    [
      ['token', 'list'],
      [...ADMIN, '--tenant', '--json'],
    ],
    [['token', 'revoke'], ADMIN],
    [['audit'], ['list', 'export']],
    [
      ['audit', 'list'],
      [
        ...ADMIN,
        '--tenant',
        '--actor',
        '--object',
        '--action',
        '--outcome',
        '--from',
        '--to',
        '--limit',
        '--all',
        '--json',
      ],
    ],
    [
      ['audit', 'export'],
      [...ADMIN, '--tenant', '--actor', '--from', '--to', '--output'],
    ],
    [['signing-key'], ['list', 'rotate']],
    [
      ['signing-key', 'list'],
      [...ADMIN, '--json'],
    ],
    [['signing-key', 'rotate'], ADMIN],
  ];

  for (const [command, mentions] of COMMANDS) {
    it(`lockstep ${command.join(' ')} --help`, async () => {
      const help = await runCli([...command, '--help'], {});
      assert.equal(help.code, 0, help.stderr);
      for (const mention of mentions)
        assert.ok(help.stdout.includes(mention), `mentions ${mention}:\n${help.stdout}`);
    });
  }
});
