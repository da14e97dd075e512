import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { UsageError } from './cli-output.ts';
import { buildNativeApi } from './target-native-api-options.ts';

describe('native API flags of target create / update', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-native-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the body from the flags, the secret from a file without its newline', async () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 'from-a-file-secret\n');
    assert.deepEqual(
      await buildNativeApi(
        {
          nativeEndpoint: '127.0.0.1:4000',
          nativeProtocol: 'http',
          nativeAccessKeyId: 'LTAI5tCli',
          nativeAccessKeySecretFile: file,
        },
        true,
      ),
      {
        endpoint: '127.0.0.1:4000',
        protocol: 'http',
        accessKeyId: 'LTAI5tCli',
        accessKeySecret: 'from-a-file-secret',
      },
    );
  });

  it('sends nothing without flags, null to remove, and only what changes on update', async () => {
    assert.equal(await buildNativeApi({}, true), undefined);
    assert.equal(await buildNativeApi({ removeNativeApi: true }, false), null);
    assert.deepEqual(await buildNativeApi({ nativeRegion: 'cn-shanghai' }, false), {
      regionId: 'cn-shanghai',
    });
  });

  it('refuses an incomplete new native API, two secrets, and removing while changing', async () => {
    await assert.rejects(buildNativeApi({ nativeAccessKeyId: 'LTAI5tCli' }, true), UsageError);
    await assert.rejects(
      buildNativeApi({ nativeAccessKeySecret: 'a', nativeAccessKeySecretFile: join(dir, 'x') }, false),
      UsageError,
    );
    await assert.rejects(buildNativeApi({ removeNativeApi: true, nativeRegion: 'x' }, false), UsageError);
    await assert.rejects(
      buildNativeApi({ nativeAccessKeySecretFile: join(dir, 'missing') }, false),
      /missing/,
    );
  });
});
