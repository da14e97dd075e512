import { TO_LOWER, TO_UPPER } from './case-functions.ts';
import { FORMAT_DATE_TIME } from './format-date-time-function.ts';
import type { FunctionDefinition } from './function-definition.ts';
import type { FunctionName } from './function-names.ts';
import { IIF, NOT, SWITCH } from './logic-functions.ts';
import { NORMALIZE_DIACRITICS } from './normalize-diacritics.ts';
import { COALESCE, IS_NULL, IS_NULL_OR_EMPTY, IS_PRESENT } from './null-functions.ts';
import { REPLACE } from './replace-function.ts';
import { APPEND, JOIN, LEFT, MID, SPLIT, STRIP_SPACES } from './text-functions.ts';

/** Every function of the language, by canonical name; the type makes a missing one a compile error. */
export const FUNCTION_DEFINITIONS: Readonly<Record<FunctionName, FunctionDefinition>> = Object.freeze({
  Append: APPEND,
  Coalesce: COALESCE,
  FormatDateTime: FORMAT_DATE_TIME,
  IIF,
  IsNull: IS_NULL,
  IsNullOrEmpty: IS_NULL_OR_EMPTY,
  IsPresent: IS_PRESENT,
  Join: JOIN,
  Left: LEFT,
  Mid: MID,
  NormalizeDiacritics: NORMALIZE_DIACRITICS,
  Not: NOT,
  Replace: REPLACE,
  Split: SPLIT,
  StripSpaces: STRIP_SPACES,
  Switch: SWITCH,
  ToLower: TO_LOWER,
  ToUpper: TO_UPPER,
});

/** Undefined for a name outside the language (possible only in a tree not built by the parser). */
export function findFunctionDefinition(name: string): FunctionDefinition | undefined {
  return Object.hasOwn(FUNCTION_DEFINITIONS, name) ? FUNCTION_DEFINITIONS[name as FunctionName] : undefined;
}
