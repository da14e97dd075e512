/**
 * Entra's regular expressions are .NET's. JavaScript's dialect agrees on what mapping patterns
 * use (classes, quantifiers, anchors, `(?<name>...)` groups); .NET-only syntax (inline options,
 * `(?'name'...)`, `\A`) is rejected as a syntax error. Matching is case-sensitive, UTF-16 based
 * (no `u` flag), as in .NET.
 */
export type RegexResult =
  | { readonly ok: true; readonly regex: RegExp }
  | { readonly ok: false; readonly message: string };

/** Compiles a pattern for global matching with group indices. */
export function compileDotnetRegex(pattern: string): RegexResult {
  try {
    return { ok: true, regex: new RegExp(pattern, 'gd') };
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '');
    return { ok: false, message: `invalid regular expression: ${reason}` };
  }
}

/** Whether the compiled pattern defines a group of that name. */
export function hasGroup(regex: RegExp, name: string): boolean {
  const probe = new RegExp(`${regex.source}|`, '').exec('');
  return probe?.groups !== undefined && Object.hasOwn(probe.groups, name);
}

const SUBSTITUTION = /\$(?:\$|\{([^}]*)\}|(\d+)|([&`'+_]))/g;

/**
 * Expands a .NET replacement pattern for one match: `$$`, `${name}`, `$number`, `$&`, `` $` ``,
 * `$'`, `$+`, `$_`. A reference to a group the pattern lacks stays as written, as in .NET; a group
 * that did not take part in the match expands to "".
 * @see https://learn.microsoft.com/dotnet/standard/base-types/substitutions-in-regular-expressions
 */
export function expandReplacement(replacement: string, match: RegExpExecArray, input: string): string {
  return replacement.replace(
    SUBSTITUTION,
    (whole, name: string | undefined, digits: string | undefined, sign) => {
      if (whole === '$$') return '$';
      if (name !== undefined) {
        if (/^\d+$/.test(name)) return groupNumbered(match, Number(name)) ?? whole;
        return match.groups !== undefined && Object.hasOwn(match.groups, name)
          ? (match.groups[name] ?? '')
          : whole;
      }
      if (digits !== undefined) return groupNumbered(match, Number(digits)) ?? whole;
      switch (sign) {
        case '&':
          return match[0];
        case '`':
          return input.slice(0, match.index);
        case "'":
          return input.slice(match.index + match[0].length);
        case '+':
          return match.length > 1 ? (match[match.length - 1] ?? '') : '';
        default:
          return input;
      }
    },
  );
}

function groupNumbered(match: RegExpExecArray, number: number): string | undefined {
  return number < match.length ? (match[number] ?? '') : undefined;
}
