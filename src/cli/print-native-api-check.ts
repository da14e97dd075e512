import { printTable } from './cli-output.ts';
import type { NativeApiPermissionReport } from './provisioning-api-types.ts';

/**
 * The native API section of a target or provisioning test: where and as which AccessKey (never its
 * secret), one line of summary, then each action with its result and what it is for.
 */
export function printNativeApiCheck(report: NativeApiPermissionReport): void {
  console.log('');
  console.log(
    `Native API (${report.api} at ${report.endpoint}, AccessKey ${report.accessKeyId}): ${report.status}: ${report.summary}`,
  );
  if (report.checks.length === 0) return;
  printTable(
    ['RESULT', 'ACTION', 'FOR', 'MESSAGE'],
    report.checks.map((check) => [check.result, check.action, check.step, check.message]),
  );
}
