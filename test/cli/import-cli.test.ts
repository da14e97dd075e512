/**
 * `lockstep import <file.csv>` against a running `lockstep serve`: a dry run by default, the per-row
 * problem table, --apply, --apply-valid-rows, --complete, --json, and the exit codes (2 when the file
 * has problems and nothing was applied).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningServe, runCli, startServe } from './cli-process.ts';

const HEADER = 'id,login,email,active\n';

describe('lockstep import', () => {
  let dataDir: string;
  let serve: RunningServe;
  let env: Record<string, string>;
  let sourceId: string;
  const cli = (...args: string[]) => runCli(args, env);
  const csv = (name: string, text: string) => {
    const path = join(dataDir, name);
    writeFileSync(path, text);
    return path;
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${serve.url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${serve.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as { id: string } };
  };
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lockstep-import-cli-'));
    serve = await startServe({ LOCKSTEP_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    env = { LOCKSTEP_URL: serve.url, LOCKSTEP_ADMIN_TOKEN: serve.adminToken, LOG_LEVEL: 'warn' };
    assert.equal((await api('POST', '/tenants', { id: 'acme', displayName: 'Acme' })).status, 201);
    const source = await api('POST', '/tenants/acme/sources', {
      name: 'HR',
      kind: 'csv',
      config: {
        key: 'id',
        mapping: { userName: 'login', 'emails[type eq "work"].value': 'email', active: 'active' },
      },
    });
    assert.equal(source.status, 201, JSON.stringify(source.body));
    sourceId = source.body.id;
  });
  after(async () => {
    await serve?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is a dry run by default and with --dry-run; --apply applies', async () => {
    const good = csv('good.csv', `${HEADER}1,ann,ann@example.test,true\n2,bo,bo@example.test,false\n`);
    for (const extra of [[], ['--dry-run']]) {
      const dry = await cli('import', good, '--tenant', 'acme', '--source', sourceId, ...extra);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /Plan \(dry run\): 2 rows, 2 valid; users: 2 to create/);
      assert.match(dry.stdout, /create: 1 \(line 2\), 2 \(line 3\)/);
      assert.match(dry.stdout, /nothing was changed/);
    }
    const applied = await cli('import', good, '--tenant', 'acme', '--source', sourceId, '--apply', '--json');
    assert.equal(applied.code, 0, applied.stderr);
    const answer = JSON.parse(applied.stdout);
    assert.equal(answer.applied, true);
    assert.equal(answer.stats.users.created, 2);
    const both = await cli('import', good, '--tenant', 'acme', '--source', sourceId, '--apply', '--dry-run');
    assert.equal(both.code, 2);
  });

  it('prints the problems per line and exits 2 when nothing was applied', async () => {
    const bad = csv(
      'bad.csv',
      `${HEADER}1,ann,ann-at-example.test,true\n3,cy,cy@example.test,true\n3,cy2,cy2@example.test,true\n4,dee\n`,
    );
    const refused = await cli('import', bad, '--tenant', 'acme', '--source', sourceId, '--apply');
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stdout, /^LINE\s+KEY\s+REASON$/m);
    assert.match(refused.stdout, /^2\s+1\s+emails\[type eq "work"\]\.value: "ann-at-example\.test" is not/m);
    assert.match(refused.stdout, /^3\s+3\s+duplicate key "3" \(lines 3, 4\)/m);
    assert.match(refused.stdout, /^5\s+-\s+has 2 fields, the header has 4/m);
    assert.match(refused.stdout, /Not applied: 4 problem\(s\)/);

    const partial = csv(
      'partial.csv',
      `${HEADER}1,ann,ann@example.test,true\n5,eve,eve@example.test,true\n6,fay\n`,
    );
    const applied = await cli(
      'import',
      partial,
      '--tenant',
      'acme',
      '--source',
      sourceId,
      '--apply',
      '--apply-valid-rows',
    );
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /Applied: 3 rows, 2 valid; users: 1 to create/);
  });

  it('deletes with --complete, and reports a wrong file or source with the usual exit codes', async () => {
    const complete = csv(
      'complete.csv',
      `${HEADER}1,ann,ann@example.test,true\n5,eve,eve@example.test,true\n`,
    );
    const done = await cli(
      'import',
      complete,
      '--tenant',
      'acme',
      '--source',
      sourceId,
      '--apply',
      '--complete',
      '--json',
    );
    assert.equal(done.code, 0, done.stderr);
    assert.equal(JSON.parse(done.stdout).stats.users.deleted, 1); // bo
    const missing = await cli('import', join(dataDir, 'nope.csv'), '--tenant', 'acme', '--source', sourceId);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read .*nope\.csv: ENOENT/);
    const noSource = await cli('import', complete, '--tenant', 'acme', '--source', 'src_missing');
    assert.equal(noSource.code, 3, noSource.stderr);
  });
});
