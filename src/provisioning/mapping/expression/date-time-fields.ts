/**
 * A date and time as .NET's DateTime holds it: calendar fields, 100-nanosecond ticks within the
 * second, and what is known of the offset: `utc` (written with Z, or from a JavaScript Date), an
 * explicit offset in minutes, or neither (.NET's Unspecified kind).
 */
export interface DateTimeFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 to 9,999,999. */
  readonly ticks: number;
  readonly offsetMinutes?: number;
  readonly utc?: boolean;
}

/** Invariant-culture names, as .NET formats `MMMM`, `MMM`, `dddd` and `ddd`. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export const DAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

const TICKS_PER_MILLISECOND = 10_000;

/** Milliseconds since 1970 of the fields read as UTC; valid for years 1 to 9999 (no 1900 shift). */
function epochOf(fields: DateTimeFields): number {
  const date = new Date(0);
  date.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  date.setUTCHours(
    fields.hour,
    fields.minute,
    fields.second,
    Math.floor(fields.ticks / TICKS_PER_MILLISECOND),
  );
  return date.getTime();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** 0 for Sunday. */
export function dayOfWeek(fields: DateTimeFields): number {
  return new Date(epochOf(fields)).getUTCDay();
}

export function fieldsFromDate(date: Date, extraTicks = 0): DateTimeFields {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    ticks: date.getUTCMilliseconds() * TICKS_PER_MILLISECOND + extraTicks,
    offsetMinutes: 0,
    utc: true,
  };
}

/** The same instant in UTC; fields without an offset are taken as UTC (the service's zone). */
export function toUniversal(fields: DateTimeFields): DateTimeFields {
  const epoch = epochOf(fields) - (fields.offsetMinutes ?? 0) * 60_000;
  return fieldsFromDate(new Date(epoch), fields.ticks % TICKS_PER_MILLISECOND);
}
