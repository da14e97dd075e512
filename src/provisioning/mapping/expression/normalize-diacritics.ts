import { type FunctionDefinition, fixedParameters, STRING } from './function-definition.ts';

/**
 * Letters in Entra's NormalizeDiacritics table that Unicode does not decompose into a base letter
 * and marks, plus đ/Đ. Entra maps ø to "oe", not "o".
 */
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  æ: 'ae',
  Æ: 'AE',
  ø: 'oe',
  Ø: 'OE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
};

const UNDECOMPOSABLE_LETTER = new RegExp(`[${Object.keys(UNDECOMPOSABLE).join('')}]`, 'g');

/**
 * A Latin letter followed by combining marks of the diacritic blocks (Combining Diacritical Marks,
 * its Extended and Supplement blocks, the half marks). Marks on other scripts stay: Cyrillic й is
 * a letter of its own, not an accented и, and Entra's table lists Latin letters only.
 */
const LATIN_WITH_MARKS = /(\p{Script=Latin})[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\ufe20-\ufe2f]+/gu;

/**
 * Replaces letters carrying diacritics with plain ones: "Zoë" → "Zoe", "Ærø" → "AEroe". Canonical
 * decomposition (NFD) splits accented letters into a base letter and combining marks, the marks on
 * Latin letters are removed, the result recomposed (NFC, so that Hangul and other scripts come
 * back whole).
 */
export function normalizeDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(LATIN_WITH_MARKS, '$1')
    .replace(UNDECOMPOSABLE_LETTER, (letter) => UNDECOMPOSABLE[letter]!)
    .normalize('NFC');
}

/** `NormalizeDiacritics(source)`: null for a null source. */
export const NORMALIZE_DIACRITICS: FunctionDefinition = {
  name: 'NormalizeDiacritics',
  signature: 'NormalizeDiacritics(source)',
  minArgs: 1,
  maxArgs: 1,
  parameter: fixedParameters([{ name: 'source', kind: 'text' }]),
  result: STRING,
  evaluate(frame) {
    const source = frame.text(0);
    return source === null ? null : normalizeDiacritics(source);
  },
};
