import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { issueSecret } from '../secrets/issued-secret.ts';
import { DETAIL_LIMITS, REDACTED, scrubAuditDetail, scrubAuditText } from './scrub-audit-detail.ts';

const b64url = (bytes: number) => randomBytes(bytes).toString('base64url');
const jwt = () =>
  [
    Buffer.from(JSON.stringify({ alg: 'ES256', kid: b64url(6) })).toString('base64url'),
    Buffer.from(JSON.stringify({ sub: 'app', exp: 1 })).toString('base64url'),
    b64url(64),
  ].join('.');

/** A credential of each kind Lockstep issues or receives, and the part of it that must never be kept. */
const credentialArbitrary: fc.Arbitrary<{ planted: string; secret: string }> = fc
  .constantFrom('lss', 'lsa', 'lst', 'jwt', 'opaque-jwt', 'bearer', 'basic')
  .map((kind) => {
    switch (kind) {
      case 'lss':
      case 'lsa': {
        const { value } = issueSecret(kind);
        return { planted: value, secret: value.slice(-43) };
      }
      case 'lst': {
        const value = `lst_${b64url(24)}`;
        return { planted: value, secret: value.slice(4) };
      }
      case 'jwt': {
        const value = jwt();
        return { planted: value, secret: value.split('.')[2]! };
      }
      case 'opaque-jwt': {
        const value = `${b64url(12)}.${b64url(30)}.${b64url(32)}`;
        return { planted: value, secret: value.split('.')[2]! };
      }
      case 'bearer': {
        const token = b64url(24);
        return { planted: `Bearer ${token}`, secret: token };
      }
      default: {
        const credentials = Buffer.from(`client:${b64url(18)}`).toString('base64');
        return { planted: `Basic ${credentials}`, secret: credentials };
      }
    }
  });

/** Text around a planted value: anything, including credential-like fragments and separators. */
const surroundingText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ' ', 'lss_', 'Bearer ', 'eyJ', 'x.', '=', '"', 'token=', 'Authorization: ', '\u0000'),
);

/** A JSON-like tree with `planted` somewhere in it: as a value, inside a value, or as a key. */
function treeWith(planted: string): fc.Arbitrary<unknown> {
  const plantedText = fc
    .tuple(surroundingText, surroundingText)
    .map(([before, after]) => before + planted + after);
  const { tree } = fc.letrec<{ tree: unknown; leaf: unknown }>((tie) => ({
    leaf: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), plantedText),
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      fc.array(tie('tree'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), plantedText), tie('tree'), { maxKeys: 4 }),
    ),
  }));
  // The tree may not contain the planted text by chance: put it in for sure as well.
  return fc
    .tuple(tree, plantedText, fc.constantFrom('value', 'key', 'nested'))
    .map(([rest, text, where]) =>
      where === 'value'
        ? { rest, note: text }
        : where === 'key'
          ? { rest, [text]: 1 }
          : { rest: [rest, { deeper: { list: [text] } }] },
    );
}

describe('scrubAuditDetail', () => {
  it('never keeps a planted credential anywhere in the output (property)', () => {
    fc.assert(
      fc.property(
        credentialArbitrary.chain((credential) =>
          treeWith(credential.planted).map((tree) => ({ credential, tree })),
        ),
        ({ credential, tree }) => {
          const stored = JSON.stringify(scrubAuditDetail(tree));
          assert.ok(!stored.includes(credential.secret), stored);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('redacts the value of every key naming a credential, at any depth (property)', () => {
    const sensitiveKey = fc
      .tuple(
        fc.string({ maxLength: 4 }),
        fc.constantFrom(
          'password',
          'clientSecret',
          'access_token',
          'Authorization',
          'credentials',
          'privateKey',
        ),
        fc.string({ maxLength: 4 }),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        sensitiveKey,
        fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.array(fc.string())),
        fc.nat({ max: 3 }),
        (key, value, depth) => {
          let detail: Record<string, unknown> = { [key]: value };
          for (let level = 0; level < depth; level += 1) detail = { level: [detail] };
          let scrubbed = scrubAuditDetail(detail) as Record<string, unknown>;
          for (let level = 0; level < depth; level += 1)
            scrubbed = (scrubbed.level as Record<string, unknown>[])[0]!;
          assert.deepEqual(Object.values(scrubbed), [REDACTED]);
        },
      ),
    );
  });

  it('keeps ordinary data, booleans under credential names and settings that only name a secret', () => {
    const detail = {
      changes: { name: 'HR sync', scopes: ['scim'], tokenTtlSeconds: 900, secretAsBearer: true },
      hasPassword: false,
      count: 3,
      at: new Date('2025-01-02T03:04:05.000Z'),
      host: 'scim.example.com',
    };
    assert.deepEqual(scrubAuditDetail(detail), { ...detail, at: '2025-01-02T03:04:05.000Z' });
  });

  it('redacts credentials inside longer text and keeps the words around them', () => {
    const { value } = issueSecret('lss');
    assert.equal(
      scrubAuditText(`client sent ${value} and Authorization: Bearer abc.def then ${jwt()} end`, 1000),
      `client sent ${REDACTED} and Authorization: ${REDACTED} then ${REDACTED} end`,
    );
  });

  it('bounds strings, arrays, keys, depth and the whole detail', () => {
    const long = scrubAuditDetail({ text: 'x'.repeat(100_000), [`k${'y'.repeat(500)}`]: 1 })!;
    assert.equal(long.text, `${'x'.repeat(DETAIL_LIMITS.maxString)}…[truncated]`);
    assert.equal(Object.keys(long)[1], `k${'y'.repeat(DETAIL_LIMITS.maxKey - 1)}…[truncated]`);

    const list = scrubAuditDetail({ list: Array.from({ length: 10_000 }, (_, n) => n) })!.list as unknown[];
    assert.equal(list.length, DETAIL_LIMITS.maxItems + 1);
    assert.equal(list.at(-1), `[${10_000 - DETAIL_LIMITS.maxItems} more items]`);

    const wide = scrubAuditDetail(
      Object.fromEntries(Array.from({ length: 10_000 }, (_, n) => [`k${n}`, n])),
    )!;
    assert.equal(Object.keys(wide).length, DETAIL_LIMITS.maxKeys + 1);
    assert.equal(wide['…'], `${10_000 - DETAIL_LIMITS.maxKeys} more keys`);

    const deep = scrubAuditDetail(JSON.parse(`${'{"a":'.repeat(50)}1${'}'.repeat(50)}`));
    assert.equal(
      JSON.stringify(deep),
      `${'{"a":'.repeat(DETAIL_LIMITS.maxDepth)}"[truncated]"${'}'.repeat(DETAIL_LIMITS.maxDepth)}`,
    );

    // Everything at once, each part within its own bounds: the whole stays small.
    const huge = scrubAuditDetail({
      text: 'x'.repeat(100_000),
      wide: Object.fromEntries(Array.from({ length: 10_000 }, (_, n) => [`k${n}`, 'v'.repeat(500)])),
      matrix: Array.from({ length: 100 }, () => Array.from({ length: 100 }, () => ({ a: 'b'.repeat(100) }))),
    });
    const size = JSON.stringify(huge).length;
    assert.ok(size < DETAIL_LIMITS.maxChars + 8 * 1024, String(size));
  });

  it('survives cycles, odd values and text PostgreSQL cannot store', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const scrubbed = scrubAuditDetail({
      cyclic,
      nul: 'a\u0000b',
      lone: 'x\uD800y',
      big: 10n,
      nan: Number.NaN,
      fn: () => 1,
      missing: undefined,
      error: new Error('boom'),
      bytes: Buffer.from('abc'),
    })!;
    assert.equal(scrubbed.nul, 'a\uFFFDb');
    assert.equal(scrubbed.lone, 'x\uFFFDy');
    assert.equal(scrubbed.big, '10');
    assert.equal(scrubbed.nan, null);
    assert.ok(!('fn' in scrubbed) && !('missing' in scrubbed));
    assert.deepEqual(scrubbed.error, { name: 'Error', message: 'boom' });
    assert.equal(scrubbed.bytes, '[binary 3 bytes]');
    assert.doesNotThrow(() => JSON.stringify(scrubbed));
  });

  it('wraps a detail that is not an object and treats null as none', () => {
    assert.equal(scrubAuditDetail(null), null);
    assert.equal(scrubAuditDetail(undefined), null);
    assert.deepEqual(scrubAuditDetail(['Bearer x']), { value: [REDACTED] });
  });
});
