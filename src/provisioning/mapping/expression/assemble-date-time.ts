import { DAY_NAMES, type DateTimeFields, dayOfWeek, daysInMonth } from './date-time-fields.ts';

/** Values read so far; missing date parts default to 0001-01-01, missing time parts to 0. */
export interface DateTimeParts {
  year?: number;
  month?: number;
  day?: number;
  hour12?: number;
  hour24?: number;
  minute?: number;
  second?: number;
  ticks?: number;
  pm?: boolean;
  weekday?: number;
  offsetMinutes?: number;
  utc?: boolean;
}

/** A text that does not match its format; the message says where and why. */
export class DateTimeParseFailure extends Error {}

/** Checks the parts read against the calendar and clock; throws `DateTimeParseFailure`. */
export function assembleDateTime(parts: DateTimeParts): DateTimeFields {
  const year = parts.year ?? 1;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  if (year < 1 || month < 1 || month > 12)
    throw new DateTimeParseFailure(`there is no month ${month} in year ${year}`);
  if (day < 1 || day > daysInMonth(year, month))
    throw new DateTimeParseFailure(`there is no day ${day} in ${year}-${month}`);
  const minute = parts.minute ?? 0;
  const second = parts.second ?? 0;
  if (minute > 59 || second > 59) throw new DateTimeParseFailure('the minutes or seconds are out of range');
  const fields: DateTimeFields = {
    year,
    month,
    day,
    hour: hourOf(parts),
    minute,
    second,
    ticks: parts.ticks ?? 0,
    ...(parts.utc === true ? { offsetMinutes: 0, utc: true } : {}),
    ...(parts.utc !== true && parts.offsetMinutes !== undefined
      ? { offsetMinutes: parts.offsetMinutes }
      : {}),
  };
  if (parts.weekday !== undefined && dayOfWeek(fields) !== parts.weekday) {
    throw new DateTimeParseFailure(`${year}-${month}-${day} is not a ${DAY_NAMES[parts.weekday]}`);
  }
  return fields;
}

/** `H` wins over `h`; `h` without `t` is taken as written (.NET's rule), with `t` as a 12-hour clock. */
function hourOf(parts: DateTimeParts): number {
  if (parts.hour24 !== undefined) {
    if (parts.hour24 > 23) throw new DateTimeParseFailure(`there is no hour ${parts.hour24}`);
    return parts.hour24;
  }
  if (parts.hour12 === undefined) return 0;
  if (parts.hour12 > 12)
    throw new DateTimeParseFailure(`there is no hour ${parts.hour12} on a 12-hour clock`);
  if (parts.pm === undefined) return parts.hour12;
  return (parts.hour12 % 12) + (parts.pm ? 12 : 0);
}
