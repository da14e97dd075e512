/**
 * The functions the language knows, spelled as Microsoft Entra ID spells them. A subset of Entra's
 * list: the functions that transform attribute values without side effects or outside state.
 * @see https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data
 */
export const FUNCTION_NAMES = [
  'Append',
  'Coalesce',
  'FormatDateTime',
  'IIF',
  'IsNull',
  'IsNullOrEmpty',
  'IsPresent',
  'Join',
  'Left',
  'Mid',
  'NormalizeDiacritics',
  'Not',
  'Replace',
  'Split',
  'StripSpaces',
  'Switch',
  'ToLower',
  'ToUpper',
] as const;

export type FunctionName = (typeof FUNCTION_NAMES)[number];

const BY_LOWER_CASE: ReadonlyMap<string, FunctionName> = new Map(
  FUNCTION_NAMES.map((name) => [name.toLowerCase(), name]),
);

/** The canonical spelling of a function name written in any case; undefined when unknown. */
export function resolveFunctionName(written: string): FunctionName | undefined {
  return BY_LOWER_CASE.get(written.toLowerCase());
}
