/** `--help` of every command exits 0 and names the command's options (no server needed). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './cli-process.ts';

describe('lockstep --help', { concurrency: 4 }, () => {
  const ADMIN = ['--url', '--token'];
  const COMMANDS: [string[], string[]][] = [
    [
      [],
      [
        'serve',
        'tenant',
        'app',
        'secret',
        'target',
        'provisioning',
        'run',
        'token',
        'audit',
        'signing-key',
        'removals',
        'backups',
        'restore',
        'revoke',
        'Exit codes',
        '69',
      ],
    ],
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
    [['target'], ['create', 'list', 'show', 'update', 'delete', 'test', 'resume']],
    [
      ['target', 'create'],
      [
        ...ADMIN,
        '--tenant',
        '--name',
        '--profile',
        'aws-identity-center',
        '--base-url',
        '--bearer-token',
        '--bearer-token-stdin',
        '--token-url',
        '--client-id',
        '--client-secret',
        '--client-secret-stdin',
        '--client-auth',
        'client_secret_post',
        '--params-in',
        '--scope',
        '--timeout-ms',
        '--concurrency',
        '--rate-limit',
        'LOCKSTEP_TARGET_SECRET',
        '--native-endpoint',
        '--native-protocol',
        '--native-access-key-id',
        '--native-access-key-secret',
        '--native-access-key-secret-file',
        '--json',
      ],
    ],
    [
      ['target', 'list'],
      [...ADMIN, '--tenant', '--json'],
    ],
    [
      ['target', 'show'],
      [...ADMIN, '--tenant', '<target>', '--json'],
    ],
    [
      ['target', 'update'],
      [
        ...ADMIN,
        '--tenant',
        '--name',
        '--profile',
        '--base-url',
        '--client-secret-stdin',
        '--native-access-key-id',
        '--remove-native-api',
        '--json',
      ],
    ],
    [
      ['target', 'delete'],
      [...ADMIN, '--tenant', '--yes'],
    ],
    [
      ['target', 'test'],
      [...ADMIN, '--tenant', '--matching-attribute', '--json', 'exits 1'],
    ],
    [
      ['target', 'resume'],
      [...ADMIN, '--tenant', '--json'],
    ],
    [
      ['provisioning'],
      ['create', 'list', 'show', 'update', 'delete', 'push', 'runs', 'log', 'events', 'links', 'test'],
    ],
    [
      ['provisioning', 'test'],
      [...ADMIN, '--tenant', '<provisioning>', '--json', 'missing permission', 'Exits 1'],
    ],
    [['removals'], ['show', 'approve', 'reject', 'staged', 'blocked', 'grace period']],
    [
      ['removals', 'show'],
      [...ADMIN, '--tenant', '<provisioning>', '--json', 'blocked'],
    ],
    [
      ['removals', 'approve'],
      [...ADMIN, '--tenant', '<provisioning>', '--object', '--json'],
    ],
    [
      ['removals', 'reject'],
      [...ADMIN, '--tenant', '<provisioning>', '--object', '--json'],
    ],
    [['backups'], ['list', 'show']],
    [
      ['backups', 'list'],
      [...ADMIN, '--tenant', '--provisioning', '--object', '--limit', '--before', '--all', '--json'],
    ],
    [
      ['backups', 'show'],
      [...ADMIN, '--tenant', '<backup>', '--json'],
    ],
    [['restore'], [...ADMIN, '--tenant', '<backup>', '--json', 'cannot come back']],
    [['revoke'], [...ADMIN, '--tenant', '<user>', '--json', 'exits 1']],
    [
      ['provisioning', 'create'],
      [...ADMIN, '--tenant', '--name', '--target', '--config', '--disabled', '--json'],
    ],
    [
      ['provisioning', 'list'],
      [...ADMIN, '--tenant', '--json'],
    ],
    [
      ['provisioning', 'show'],
      [...ADMIN, '--tenant', '--json'],
    ],
    [
      ['provisioning', 'update'],
      [...ADMIN, '--tenant', '--name', '--config', '--enable', '--disable', '--json'],
    ],
    [
      ['provisioning', 'delete'],
      [...ADMIN, '--tenant', '--strategy', 'Delete', 'Keep', '--wait', '--yes', '--json'],
    ],
    [
      ['provisioning', 'push'],
      [...ADMIN, '--tenant', '--no-wait', '--json', 'Ctrl-C', '130'],
    ],
    [
      ['provisioning', 'runs'],
      [...ADMIN, '--tenant', '--json'],
    ],
    [
      ['provisioning', 'log'],
      [...ADMIN, '--tenant', '--object', '--action', '--status', '--from', '--to', '--limit', '--json'],
    ],
    [
      ['provisioning', 'events'],
      [...ADMIN, '--tenant', '--json'],
    ],
    [
      ['provisioning', 'links'],
      [...ADMIN, '--tenant', '--object', '--json'],
    ],
    [['run'], ['show', 'cancel']],
    [
      ['run', 'show'],
      [...ADMIN, '--tenant', '<run>', '--follow', '--json'],
    ],
    [
      ['run', 'cancel'],
      [...ADMIN, '--tenant', '<run>', '--json'],
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
