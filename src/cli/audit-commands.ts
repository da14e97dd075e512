import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { type Command, Option } from 'commander';
import type { AuditEvent, AuditPage } from './admin-api-types.ts';
import {
  type AdminOptions,
  addAdminOptions,
  addJsonOption,
  connectAdmin,
  parseWholeNumber,
} from './admin-command.ts';
import { cell, printJson, printTable } from './cli-output.ts';

interface AuditFilters {
  tenant?: string;
  actor?: string;
  object?: string;
  action?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

function addFilterOptions(command: Command): Command {
  return addAdminOptions(command)
    .option('--tenant <id>', "only this tenant's events")
    .option('--actor <id>', 'only events by this actor (admin token id, client id, ...)')
    .option('--object <id>', 'only events about this object')
    .option('--action <action>', 'only this action, e.g. app.create')
    .addOption(
      new Option('--outcome <outcome>', 'only successes or failures').choices(['success', 'failure']),
    )
    .option('--from <time>', 'events at or after this ISO 8601 time')
    .option('--to <time>', 'events before this ISO 8601 time');
}

function filterQuery(options: AuditFilters): Record<string, string | undefined> {
  const { tenant, actor, object, action, outcome, from, to } = options;
  return { tenant, actor, object, action, outcome, from, to };
}

function describeObject(event: AuditEvent): string {
  if (event.object === null) return '-';
  return event.object.id === null ? event.object.type : `${event.object.type} ${event.object.id}`;
}

/** Writes a byte stream as it arrives, minding back-pressure. */
async function copyStream(source: ReadableStream<Uint8Array>, sink: Writable): Promise<void> {
  for await (const chunk of source) {
    if (!sink.write(chunk)) await once(sink, 'drain');
  }
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('Read the audit log: who did what to which object, with the outcome');

  addJsonOption(addFilterOptions(audit.command('list')))
    .description('List audit events, newest first')
    .option('--limit <n>', 'events per page (the server caps it)', parseWholeNumber)
    .option('--cursor <cursor>', 'continue from the nextCursor of an earlier page')
    .option('--all', 'follow nextCursor until the last page')
    .action(
      async (
        options: AdminOptions &
          AuditFilters & { json?: boolean; limit?: number; cursor?: string; all?: boolean },
      ) => {
        const client = connectAdmin(options);
        const items: AuditEvent[] = [];
        let cursor = options.cursor;
        let page: AuditPage;
        do {
          page = await client.get<AuditPage>('/audit', {
            ...filterQuery(options),
            limit: options.limit,
            cursor,
          });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (options.all && cursor !== undefined);
        if (options.json) return printJson(options.all ? { items, nextCursor: null } : page);
        printTable(
          ['AT', 'TENANT', 'ACTOR', 'ACTION', 'OBJECT', 'OUTCOME', 'STATUS'],
          items.map((e) => [
            e.at,
            cell(e.tenantId),
            e.actor.id === null ? e.actor.type : `${e.actor.type}:${e.actor.id}`,
            e.action,
            describeObject(e),
            e.outcome,
            cell(e.status),
          ]),
        );
        if (!options.all && page.nextCursor !== null) {
          console.log(`More events: add --cursor ${page.nextCursor} (or --all)`);
        }
      },
    );

  addFilterOptions(audit.command('export'))
    .description('Export audit events as JSON lines, oldest first (for a SIEM or an archive)')
    .option('--output <file>', 'write to this file instead of standard output')
    .action(async (options: AdminOptions & AuditFilters & { output?: string }) => {
      const stream = await connectAdmin(options).stream('/audit/export', filterQuery(options));
      if (options.output === undefined) return copyStream(stream, process.stdout);
      const file = createWriteStream(options.output);
      await once(file, 'open');
      await copyStream(stream, file);
      file.end();
      await once(file, 'finish');
      console.error(`Wrote the audit export to ${options.output}.`);
    });
}
