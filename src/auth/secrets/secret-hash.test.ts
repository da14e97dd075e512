import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { issueSecret, parseSecret } from './issued-secret.ts';
import {
  hashSecret,
  LEGACY_SHA256_PREFIX,
  sha256,
  verifyAgainstNothing,
  verifySecretHash,
} from './secret-hash.ts';

describe('secret hashes', () => {
  it('verifies the secret it hashed and nothing else', async () => {
    const { value } = issueSecret('lss');
    const stored = await hashSecret(value);
    assert.match(stored, /^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.ok(!stored.includes(value));
    assert.equal(await verifySecretHash(value, stored), true);
    assert.equal(await verifySecretHash(`${value.slice(0, -1)}x`, stored), false);
    assert.equal(await verifySecretHash('', stored), false);
  });

  it('salts: the same secret hashes differently twice', async () => {
    assert.notEqual(await hashSecret('same'), await hashSecret('same'));
  });

  it('verifies a converted bootstrap token by its SHA-256', async () => {
    const stored = `${LEGACY_SHA256_PREFIX}$${sha256('lst_abc')}`;
    assert.equal(await verifySecretHash('lst_abc', stored), true);
    assert.equal(await verifySecretHash('lst_abd', stored), false);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    assert.equal(await verifySecretHash('x', 'scrypt$1'), false);
    assert.equal(await verifySecretHash('x', 'md5$abc'), false);
    assert.equal(await verifyAgainstNothing('x'), false);
  });
});

describe('issued secrets', () => {
  it('carry their id and parse back', () => {
    const { id, value } = issueSecret('lsa');
    assert.deepEqual(parseSecret('lsa', value), { id });
    assert.equal(parseSecret('lss', value), undefined);
    assert.equal(parseSecret('lsa', `${value}x`), undefined);
    assert.equal(parseSecret('lsa', value.replace(/_/, '-')), undefined);
  });
});
