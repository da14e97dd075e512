import { compileDotnetRegex } from '../mapping/expression/dotnet-regex.ts';

export type ScopeRegexResult =
  | { readonly ok: true; readonly regex: RegExp }
  | { readonly ok: false; readonly message: string };

const IGNORE_CASE_PREFIX = '(?i)';

/**
 * A REGEX MATCH pattern as .NET's `Regex.IsMatch` reads it (a match anywhere unless anchored), with
 * the .NET-compatible checks of the mapping language. A leading `(?i)` (.NET's inline
 * ignore-case option, which Entra admins use for case-insensitive scoping) is honoured; other
 * inline options are refused. The result is not global, so `test` keeps no state.
 */
export function compileScopeRegex(pattern: string, ignoreCase: boolean): ScopeRegexResult {
  const inline = pattern.startsWith(IGNORE_CASE_PREFIX);
  const source = inline ? pattern.slice(IGNORE_CASE_PREFIX.length) : pattern;
  const checked = compileDotnetRegex(source);
  if (!checked.ok) return checked;
  return { ok: true, regex: new RegExp(source, inline || ignoreCase ? 'i' : '') };
}
