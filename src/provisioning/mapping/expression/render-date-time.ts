import { DAY_NAMES, type DateTimeFields, dayOfWeek, MONTH_NAMES, toUniversal } from './date-time-fields.ts';
import type { DateTimeFormat, FormatToken } from './date-time-format.ts';

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Writes the fields as .NET's `DateTime.ToString(format, invariant culture)` does. `z` offsets of a
 * value read without one are the service's zone, UTC; `K` writes `Z` for UTC, the offset when one
 * was read, nothing otherwise. A `.` before `F`s that write nothing is dropped, as in .NET.
 */
export function renderDateTime(input: DateTimeFields, format: DateTimeFormat): string {
  const fields = format.universal ? toUniversal(input) : input;
  const pieces = format.tokens.map((token) => renderToken(fields, token));
  format.tokens.forEach((token, index) => {
    if (token.kind === 'optionalFraction' && pieces[index] === '' && pieces[index - 1] === '.')
      pieces[index - 1] = '';
  });
  return pieces.join('');
}

function renderToken(fields: DateTimeFields, token: FormatToken): string {
  if (token.kind === 'literal') return token.text;
  if (token.kind === 'utcMarker') return 'Z';
  const { width } = token;
  switch (token.kind) {
    case 'year':
      return width <= 2 ? pad(fields.year % 100, width) : pad(fields.year, width);
    case 'month':
      return width >= 3 ? nameOf(MONTH_NAMES[fields.month - 1]!, width) : pad(fields.month, width);
    case 'day':
      return width >= 3 ? nameOf(DAY_NAMES[dayOfWeek(fields)]!, width) : pad(fields.day, width);
    case 'hour12':
      return pad(fields.hour % 12 || 12, Math.min(width, 2));
    case 'hour24':
      return pad(fields.hour, Math.min(width, 2));
    case 'minute':
      return pad(fields.minute, Math.min(width, 2));
    case 'second':
      return pad(fields.second, Math.min(width, 2));
    case 'fraction':
      return pad(fields.ticks, 7).slice(0, width);
    case 'optionalFraction':
      return pad(fields.ticks, 7).slice(0, width).replace(/0+$/, '');
    case 'designator':
      return (fields.hour < 12 ? 'AM' : 'PM').slice(0, width === 1 ? 1 : 2);
    case 'offset':
      return renderOffset(fields.offsetMinutes ?? 0, width);
    case 'kind':
      if (fields.utc === true) return 'Z';
      return fields.offsetMinutes === undefined ? '' : renderOffset(fields.offsetMinutes, 3);
  }
}

function nameOf(name: string, width: number): string {
  return width === 3 ? name.slice(0, 3) : name;
}

function renderOffset(offsetMinutes: number, width: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(offsetMinutes) / 60);
  const minutes = Math.abs(offsetMinutes) % 60;
  if (width === 1) return `${sign}${hours}`;
  if (width === 2) return `${sign}${pad(hours, 2)}`;
  return `${sign}${pad(hours, 2)}:${pad(minutes, 2)}`;
}
