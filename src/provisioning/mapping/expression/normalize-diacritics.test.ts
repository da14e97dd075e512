import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeDiacritics } from './normalize-diacritics.ts';

/**
 * The table of Entra's NormalizeDiacritics reference: characters with diacritics and what they
 * become (some are a letter and combining marks, as the reference writes them).
 * @see https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data#normalizediacritics
 */
const ENTRA_TABLE: readonly [string, string][] = [
  ['ä, à, â, ã, å, á, ą, ă, ā, ā́, ā̀, ā̂, ā̃, ǟ, ā̈, ǡ, a̱, å̄', 'a'],
  ['Ä, À, Â, Ã, Å, Á, Ą, Ă, Ā, Ā́, Ā̀, Ā̂, Ā̃, Ǟ, Ā̈, Ǡ, A̱, Å̄', 'A'],
  ['æ, ǣ', 'ae'],
  ['Æ, Ǣ', 'AE'],
  ['ç, č, ć, c̄, c̱', 'c'],
  ['Ç, Č, Ć, C̄, C̱', 'C'],
  ['ď, d̄, ḏ', 'd'],
  ['Ď, D̄, Ḏ', 'D'],
  ['ë, è, é, ê, ę, ě, ė, ē, ḗ, ḕ, ē̂, ē̃, ê̄, e̱, ë̄, e̊̄', 'e'],
  ['Ë, È, É, Ê, Ę, Ě, Ė, Ē, Ḗ, Ḕ, Ē̂, Ē̃, Ê̄, E̱, Ë̄, E̊̄', 'E'],
  ['ğ, ḡ, g̱', 'g'],
  ['Ğ, Ḡ, G̱', 'G'],
  ['ï, î, ì, í, ı, ī, ī́, ī̀, ī̂, ī̃, i̱', 'i'],
  ['Ï, Î, Ì, Í, İ, Ī, Ī́, Ī̀, Ī̂, Ī̃, I̱', 'I'],
  ['ľ, ł, l̄, ḹ, ḻ', 'l'],
  ['Ł, Ľ, L̄, Ḹ, Ḻ', 'L'],
  ['ñ, ń, ň, n̄, ṉ', 'n'],
  ['Ñ, Ń, Ň, N̄, Ṉ', 'N'],
  ['ö, ò, ő, õ, ô, ó, ō, ṓ, ṑ, ō̂, ō̃, ȫ, ō̈, ǭ, ȭ, ȱ, o̱', 'o'],
  ['Ö, Ò, Ő, Õ, Ô, Ó, Ō, Ṓ, Ṑ, Ō̂, Ō̃, Ȫ, Ō̈, Ǭ, Ȭ, Ȱ, O̱', 'O'],
  ['ø, ø̄, œ̄', 'oe'],
  ['Ø, Ø̄, Œ̄', 'OE'],
  ['ř, r̄, ṟ, ṝ', 'r'],
  ['Ř, R̄, Ṟ, Ṝ', 'R'],
  ['ß', 'ss'],
  ['š, ś, ș, ş, s̄, s̱', 's'],
  ['Š, Ś, Ș, Ş, S̄, S̱', 'S'],
  ['ť, ț, t̄, ṯ', 't'],
  ['Ť, Ț, T̄, Ṯ', 'T'],
  ['ü, ù, û, ú, ů, ű, ū, ū́, ū̀, ū̂, ū̃, u̇̄, ǖ, ṻ, ṳ̄, u̱', 'u'],
  ['Ü, Ù, Û, Ú, Ů, Ű, Ū, Ū́, Ū̀, Ū̂, Ū̃, U̇̄, Ǖ, Ṻ, Ṳ̄, U̱', 'U'],
  ['ÿ, ý, ȳ, ȳ́, ȳ̀, ȳ̃, y̱', 'y'],
  ['Ÿ, Ý, Ȳ, Ȳ́, Ȳ̀, Ȳ̃, Y̱', 'Y'],
  ['ź, ž, ż, z̄, ẕ', 'z'],
  ['Ź, Ž, Ż, Z̄, Ẕ', 'Z'],
];

describe('normalizeDiacritics', () => {
  for (const [characters, expected] of ENTRA_TABLE) {
    it(`${characters} → ${expected}`, () => {
      for (const character of characters.split(', ')) {
        assert.equal(
          normalizeDiacritics(character),
          expected,
          `${character} (${[...character].map((c) => c.codePointAt(0)!.toString(16)).join(' ')})`,
        );
      }
    });
  }

  it('normalizes whole names, in either normalization form', () => {
    assert.equal(normalizeDiacritics('Zoë'), 'Zoe');
    assert.equal(normalizeDiacritics('Zoë'.normalize('NFD')), 'Zoe');
    assert.equal(normalizeDiacritics('Søren Kierkegaard'), 'Soeren Kierkegaard');
    assert.equal(normalizeDiacritics('Đặng Thị Ngọc Hân'), 'Dang Thi Ngoc Han');
    assert.equal(normalizeDiacritics('Łukasz Żółć'), 'Lukasz Zolc');
    assert.equal(normalizeDiacritics('Weiß'), 'Weiss');
  });

  it('leaves other scripts whole, their own combining signs included', () => {
    for (const name of [
      '김민준',
      'हिन्दी',
      'Ελένη',
      'Влади́мир'.normalize('NFC').replace('\u0301', ''),
      '山田太郎',
      'محمد',
    ]) {
      assert.equal(normalizeDiacritics(name), name.normalize('NFC'));
    }
  });
});
