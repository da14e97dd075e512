import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateExpression } from './evaluate-expression.ts';
import type { MappedValue } from './expression-value.ts';
import { parseExpression } from './parse-expression.ts';
import { printString } from './print-expression.ts';

/** FormatDateTime([d], styles, input, output) for d; `styles` undefined leaves the argument out. */
function format(d: unknown, input: string, output: string, styles?: string): MappedValue | string {
  const stylesArgument = styles === undefined ? '' : `${styles === '' ? '' : printString(styles)}, `;
  const parsed = parseExpression(
    `FormatDateTime([d], ${stylesArgument}${printString(input)}, ${printString(output)})`,
  );
  assert.ok(parsed.ok);
  const result = evaluateExpression(parsed.expression, () => d);
  return result.ok
    ? result.value
    : `error: ${result.error.message.replace(/^.*does not match the input format: /, '')}`;
}

describe('FormatDateTime', () => {
  it('reads and writes the common custom specifiers', () => {
    const input = '2015-01-23 10:53:47.123';
    const output = 'yyyy|yy|y|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|fff|ff|f|FFFF|tt|t';
    assert.equal(
      format(input, 'yyyy-MM-dd HH:mm:ss.fff', output),
      '2015|15|15|01|1|23|23|10|10|10|10|53|53|47|47|123|12|1|123|AM|A',
    );
  });

  it('reads the AD generalized time yyyyMMddHHmmss.fZ as UTC', () => {
    assert.equal(format('20150123105347.1Z', 'yyyyMMddHHmmss.fZ', 'o'), '2015-01-23T10:53:47.1000000Z');
    assert.equal(
      format('20150123105347.0Z', 'yyyyMMddHHmmss.fZ', 'yyyy-MM-ddTHH:mm:ssK'),
      '2015-01-23T10:53:47Z',
    );
    assert.equal(format('20150123105347.0', 'yyyyMMddHHmmss.fZ', 'o'), 'error: expected "Z" at the end');
  });

  it('keeps the offset read with zzz, and converts with AdjustToUniversal', () => {
    assert.equal(format('2020-12-31-08:00', 'yyyy-MM-ddzzz', 'yyyy-MM-dd zzz'), '2020-12-31 -08:00');
    assert.equal(
      format('2020-12-31T20:00:00+05:30', 'yyyy-MM-ddTHH:mm:sszzz', 'yyyy-MM-dd HH:mm z zz zzz K'),
      '2020-12-31 20:00 +5 +05 +05:30 +05:30',
    );
    assert.equal(
      format(
        '2020-12-31T20:00:00-08:00',
        'yyyy-MM-ddTHH:mm:sszzz',
        'yyyy-MM-dd HH:mm K',
        'AdjustToUniversal',
      ),
      '2021-01-01 04:00 Z',
    );
    assert.equal(format('2020-12-31T20:00:00-0800', 'yyyy-MM-ddTHH:mm:sszzz', 'HH:mm zzz'), '20:00 -08:00');
  });

  it('writes K as nothing, and z as UTC, for a value read without an offset', () => {
    assert.equal(format('2020-12-31 20:00', 'yyyy-MM-dd HH:mm', '[K] zzz'), '[] +00:00');
    assert.equal(format('2020-12-31 20:00', 'yyyy-MM-dd HH:mm', '[K]', 'AssumeUniversal'), '[+00:00]');
    assert.equal(
      format('2020-12-31 20:00', 'yyyy-MM-dd HH:mm', '[K]', 'AssumeLocal, AdjustToUniversal'),
      '[Z]',
    );
  });

  it('reads ISO 8601 with optional fractions through F and K', () => {
    const iso = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK";
    assert.equal(format('2024-02-29T23:59:59Z', iso, 'o'), '2024-02-29T23:59:59.0000000Z');
    assert.equal(format('2024-02-29T23:59:59.25+01:00', iso, 'o'), '2024-02-29T23:59:59.2500000+01:00');
    assert.equal(
      format('2024-02-29T23:59:59.123456789Z', iso, 'o'),
      'error: unexpected "89Z" at position 27',
    );
    assert.equal(format('2024-02-29T23:59:59.5Z', iso, 'HH:mm:ss.FFF'), '23:59:59.5');
    assert.equal(format('2024-02-29T23:59:59Z', iso, 'HH:mm:ss.FFF'), '23:59:59');
  });

  it('reads a 12-hour clock with tt (the SuccessFactors format)', () => {
    const input = 'M/d/yyyy hh:mm:ss tt';
    assert.equal(format('3/7/2021 12:05:00 AM', input, 'yyyy-MM-dd HH:mm'), '2021-03-07 00:05');
    assert.equal(format('3/7/2021 12:05:00 pm', input, 'yyyy-MM-dd HH:mm'), '2021-03-07 12:05');
    assert.equal(
      format('12/31/2021 01:05:00 PM', input, 'yyyy-MM-dd HH:mm h:mm t'),
      '2021-12-31 13:05 1:05 P',
    );
    assert.equal(
      format('3/7/2021 13:05:00 PM', input, 'HH'),
      'error: there is no hour 13 on a 12-hour clock',
    );
  });

  it('reads and writes invariant month and day names', () => {
    assert.equal(
      format('Friday, 23 January 2015', 'dddd, dd MMMM yyyy', 'ddd dd MMM yyyy'),
      'Fri 23 Jan 2015',
    );
    assert.equal(format('fri 23 jan 2015', 'ddd dd MMM yyyy', 'yyyy-MM-dd'), '2015-01-23');
    assert.equal(
      format('Monday, 23 January 2015', 'dddd, dd MMMM yyyy', 'd'),
      'error: 2015-1-23 is not a Monday',
    );
  });

  it('writes the standard formats of the invariant culture', () => {
    const d = '2009-06-15T13:45:30.0000000-07:00';
    const cases: [string, string][] = [
      ['d', '06/15/2009'],
      ['D', 'Monday, 15 June 2009'],
      ['f', 'Monday, 15 June 2009 13:45'],
      ['F', 'Monday, 15 June 2009 13:45:30'],
      ['g', '06/15/2009 13:45'],
      ['G', '06/15/2009 13:45:30'],
      ['M', 'June 15'],
      ['o', '2009-06-15T13:45:30.0000000-07:00'],
      ['R', 'Mon, 15 Jun 2009 20:45:30 GMT'],
      ['s', '2009-06-15T13:45:30'],
      ['t', '13:45'],
      ['T', '13:45:30'],
      ['u', '2009-06-15 20:45:30Z'],
      ['U', 'Monday, 15 June 2009 20:45:30'],
      ['Y', '2009 June'],
    ];
    for (const [standard, expected] of cases) assert.equal(format(d, 'o', standard), expected, standard);
  });

  it('handles quoted literals, escapes and % before a single specifier', () => {
    assert.equal(
      format('2015-01-23', 'yyyy-MM-dd', '\'Year\' yyyy, "day" d, \\d\\a\\y %d'),
      'Year 2015, day 23, day 23',
    );
    assert.equal(format('7', '%d', "MM'/'dd"), '01/07');
  });

  it('maps two-digit years to 1950–2049', () => {
    assert.equal(format('49-01-01', 'yy-MM-dd', 'yyyy'), '2049');
    assert.equal(format('50-01-01', 'yy-MM-dd', 'yyyy'), '1950');
  });

  it('defaults a missing date to 0001-01-01 and a missing time to midnight', () => {
    assert.equal(format('10:30', 'HH:mm', 'yyyy-MM-dd HH:mm:ss'), '0001-01-01 10:30:00');
    assert.equal(format('2024', 'yyyy', 'yyyy-MM-dd HH:mm:ss'), '2024-01-01 00:00:00');
  });

  it('validates the calendar and the clock', () => {
    assert.equal(format('2023-02-29', 'yyyy-MM-dd', 'd'), 'error: there is no day 29 in 2023-2');
    assert.equal(format('2024-02-29', 'yyyy-MM-dd', 'd'), '02/29/2024');
    assert.equal(format('2024-01-01 24:00', 'yyyy-MM-dd HH:mm', 'd'), 'error: there is no hour 24');
    assert.equal(
      format('2024-01-01 23:60', 'yyyy-MM-dd HH:mm', 'd'),
      'error: the minutes or seconds are out of range',
    );
    assert.equal(format('2024-1-01', 'yyyy-MM-dd', 'd'), 'error: expected 2 digits for "MM" at position 5');
    assert.equal(
      format('2024-01-01+15:00', 'yyyy-MM-ddzzz', 'd'),
      'error: the offset +15:00 is out of range at position 10',
    );
  });

  it("trims surrounding whitespace by default (Entra's default styles), not with None", () => {
    assert.equal(format('  2024-01-02 ', 'yyyy-MM-dd', 'yyyyMMdd'), '20240102');
    assert.equal(format('  2024-01-02 ', 'yyyy-MM-dd', 'yyyyMMdd', ''), '20240102');
    assert.equal(
      format(' 2024-01-02', 'yyyy-MM-dd', 'yyyyMMdd', 'None'),
      'error: expected 4 digits for "yyyy" at position 0',
    );
    assert.equal(format('2024 - 01 -02', 'yyyy-MM-dd', 'yyyyMMdd', 'AllowWhiteSpaces'), '20240102');
  });

  it('takes a date from the source as it is, whatever the input format', () => {
    assert.equal(
      format(new Date('2024-05-06T07:08:09.123Z'), 'dd.MM.yyyy', 'o'),
      '2024-05-06T07:08:09.1230000Z',
    );
    assert.equal(format([new Date('2024-05-06T07:08:09Z')], 'yyyy', 'yyyy-MM-dd'), '2024-05-06');
    assert.match(
      String(format(new Date('+010000-01-01T00:00:00Z'), 'yyyy', 'yyyy')),
      /outside the years 1 to 9999/,
    );
  });
});
