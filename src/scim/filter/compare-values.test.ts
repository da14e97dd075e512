import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalDateTime, compareCodePoints, foldCase } from './compare-values.ts';

describe('foldCase', () => {
  it('lower-cases with full Unicode mappings', () => {
    assert.equal(foldCase('ÄÉ'), 'äé');
    assert.equal(foldCase('İ'), 'i\u0307');
    assert.equal(foldCase('ΑΣ'), 'ας');
    assert.equal(foldCase('Σ'), 'σ');
  });
});

describe('compareCodePoints', () => {
  it('orders by code point where UTF-16 order differs', () => {
    // U+FF5E (one unit, 0xFF5E) is below U+1F600 (surrogates 0xD83D 0xDE00) as a code point.
    assert.ok(compareCodePoints('\uFF5E', '😀') < 0);
    assert.ok('\uFF5E' > '😀', 'UTF-16 order is the other way round');
    assert.ok(compareCodePoints('a', 'b') < 0);
    assert.ok(compareCodePoints('ab', 'a') > 0);
    assert.equal(compareCodePoints('é', 'é'), 0);
    assert.ok(compareCodePoints('Z', 'a') < 0, 'no locale collation');
  });

  it('agrees with comparing arrays of code points', () => {
    const byArrays = (a: string, b: string) => {
      const x = [...a].map((c) => c.codePointAt(0)!);
      const y = [...b].map((c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++)
        if (x[i] !== y[i]) return Math.sign(x[i]! - y[i]!);
      return Math.sign(x.length - y.length);
    };
    const text = fc.string({ unit: 'grapheme', maxLength: 6 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        assert.equal(Math.sign(compareCodePoints(a, b)), byArrays(a, b));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('canonicalDateTime', () => {
  const cases: readonly (readonly [string, string | undefined])[] = [
    ['2011-05-13T04:42:34Z', '2011-05-13T04:42:34.000Z'],
    ['2011-05-13T04:42:34.5Z', '2011-05-13T04:42:34.500Z'],
    ['2011-05-13T04:42:34.123456789Z', '2011-05-13T04:42:34.123Z'],
    ['2011-05-13T06:42:34+02:00', '2011-05-13T04:42:34.000Z'],
    ['2011-05-12T23:42:34-05:00', '2011-05-13T04:42:34.000Z'],
    ['2011-05-13T04:42:34', '2011-05-13T04:42:34.000Z'],
    ['2011-05-13T24:00:00Z', '2011-05-14T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2011-05-13T04:42:34+14:00', '2011-05-12T14:42:34.000Z'],
    ['2023-02-29T00:00:00Z', undefined],
    ['2011-13-01T00:00:00Z', undefined],
    ['2011-05-13T24:00:01Z', undefined],
    ['2011-05-13T04:60:00Z', undefined],
    ['2011-05-13T04:42:60Z', undefined],
    ['2011-05-13T04:42:34+14:01', undefined],
    ['2011-05-13T04:42:34+02:60', undefined],
    ['2011-05-13', undefined],
    ['2011-05-13 04:42:34Z', undefined],
    ['2011-05-13t04:42:34z', undefined],
    ['11-05-13T04:42:34Z', undefined],
    ['0000-01-01T00:00:00+01:00', undefined],
    ['9999-12-31T23:00:00-02:00', undefined],
    ['yesterday', undefined],
    ['', undefined],
  ];
  for (const [text, canonical] of cases) {
    it(`${JSON.stringify(text)} → ${canonical ?? 'undefined'}`, () =>
      assert.equal(canonicalDateTime(text), canonical));
  }

  it('is the identity on canonical strings and preserves instant order', () => {
    const date = fc.date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(date, date, (a, b) => {
        const x = canonicalDateTime(a.toISOString());
        const y = canonicalDateTime(b.toISOString());
        assert.equal(x, a.toISOString());
        assert.equal(Math.sign(compareCodePoints(x!, y!)), Math.sign(a.getTime() - b.getTime()));
      }),
    );
  });
});
