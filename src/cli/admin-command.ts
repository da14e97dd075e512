import { createInterface } from 'node:readline/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { type AdminClient, createAdminClient } from './admin-client.ts';
import { UsageError } from './cli-output.ts';

/** The options every admin command takes: where the server is and which admin token to use. */
export interface AdminOptions {
  readonly url?: string;
  readonly token?: string;
}

/** Adds `--url` and `--token` to a command that talks to the admin API. */
export function addAdminOptions(command: Command): Command {
  return command
    .option('--url <url>', 'server URL (default: $LOCKSTEP_URL or http://127.0.0.1:8080)')
    .option('--token <token>', 'admin token (default: $LOCKSTEP_ADMIN_TOKEN, which keeps it out of ps)');
}

/** Adds `--json`: the API's answer as JSON, for scripts. */
export function addJsonOption(command: Command): Command {
  return command.option('--json', "print the API's JSON answer instead of a table");
}

export function connectAdmin(options: AdminOptions): AdminClient {
  return createAdminClient({ url: options.url, token: options.token });
}

/** One URL path segment. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Destructive commands need `--yes`, or a typed "yes" on a terminal. Without a terminal (scripts, CI)
 * and without `--yes` they refuse, so nothing is deleted by a command pasted in the wrong place.
 */
export async function confirmDeletion(what: string, yes: boolean | undefined): Promise<void> {
  if (yes === true) return;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError(`Refusing to delete ${what} without confirmation: add --yes`);
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(`Delete ${what}? This cannot be undone. Type "yes" to go on: `);
    if (answer.trim().toLowerCase() !== 'yes') throw new UsageError(`Not deleted: ${what}`);
  } finally {
    prompt.close();
  }
}

/** Parses a whole number option (commander calls it with the raw text). */
export function parseWholeNumber(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError('expected a whole number.');
  }
  return value;
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
