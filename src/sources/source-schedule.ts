import { CronExpressionParser } from 'cron-parser';

/**
 * A source's schedule: a five-field cron expression in UTC (e.g. `*\/15 * * * *`). Returns the next
 * run after `after`, or an error message naming what is wrong.
 */
export function nextScheduledRun(
  expression: string,
  after: Date,
): { ok: true; at: Date } | { ok: false; message: string } {
  if (expression.trim().split(/\s+/).length !== 5)
    return {
      ok: false,
      message: `"${expression}" is not a cron expression of five fields (minute hour day month weekday)`,
    };
  try {
    const parsed = CronExpressionParser.parse(expression, { currentDate: after, tz: 'UTC' });
    return { ok: true, at: parsed.next().toDate() };
  } catch (error) {
    return {
      ok: false,
      message: `"${expression}" is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
