/** The parts of .NET's DateTimeStyles that change how FormatDateTime reads and converts a date. */
export interface DateTimeStyles {
  readonly allowLeadingWhite: boolean;
  readonly allowTrailingWhite: boolean;
  readonly allowInnerWhite: boolean;
  /** Convert the value to UTC (one with no offset is taken as UTC already). */
  readonly adjustToUniversal: boolean;
  /** Give a value written without an offset the UTC offset. */
  readonly assumeUniversal: boolean;
}

export type StylesResult =
  | { readonly ok: true; readonly styles: DateTimeStyles }
  | { readonly ok: false; readonly message: string };

/** Entra's default when dateTimeStyles is left empty: RoundtripKind, AllowLeadingWhite, AllowTrailingWhite. */
export const DEFAULT_DATE_TIME_STYLES: DateTimeStyles = Object.freeze({
  allowLeadingWhite: true,
  allowTrailingWhite: true,
  allowInnerWhite: false,
  adjustToUniversal: false,
  assumeUniversal: false,
});

/**
 * Names of .NET's DateTimeStyles members, lower-cased. AssumeLocal means UTC: Lockstep gives the
 * service no local zone. RoundtripKind and NoCurrentDateDefault change nothing here: a parsed
 * value always keeps its offset, and a missing date is always 0001-01-01.
 * @see https://learn.microsoft.com/dotnet/api/system.globalization.datetimestyles
 */
const FLAGS: Readonly<Record<string, Partial<DateTimeStyles>>> = {
  none: {},
  allowleadingwhite: { allowLeadingWhite: true },
  allowtrailingwhite: { allowTrailingWhite: true },
  allowinnerwhite: { allowInnerWhite: true },
  allowwhitespaces: { allowLeadingWhite: true, allowTrailingWhite: true, allowInnerWhite: true },
  nocurrentdatedefault: {},
  adjusttouniversal: { adjustToUniversal: true },
  assumelocal: { assumeUniversal: true },
  assumeuniversal: { assumeUniversal: true },
  roundtripkind: {},
};

/**
 * Reads a dateTimeStyles argument: member names, any case, separated by `,` or `|`
 * ("AssumeUniversal, AdjustToUniversal"). Null or empty gives Entra's default.
 */
export function parseDateTimeStyles(text: string | null): StylesResult {
  if (text === null || text.trim() === '') return { ok: true, styles: DEFAULT_DATE_TIME_STYLES };
  let styles: DateTimeStyles = {
    allowLeadingWhite: false,
    allowTrailingWhite: false,
    allowInnerWhite: false,
    adjustToUniversal: false,
    assumeUniversal: false,
  };
  for (const name of text.split(/[,|]/)) {
    const flags = FLAGS[name.trim().toLowerCase()];
    if (flags === undefined) {
      return {
        ok: false,
        message: `"${name.trim()}" is not a DateTimeStyles value such as "AdjustToUniversal"`,
      };
    }
    styles = { ...styles, ...flags };
  }
  return { ok: true, styles };
}
