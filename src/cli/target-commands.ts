import { type Command, Option } from 'commander';
import type { ItemList } from './admin-api-types.ts';
import {
  type AdminOptions,
  addAdminOptions,
  addJsonOption,
  confirmDeletion,
  connectAdmin,
  parseWholeNumber,
} from './admin-command.ts';
import { cell, EXIT, printFields, printJson, printTable, UsageError } from './cli-output.ts';
import { printNativeApiCheck } from './print-native-api-check.ts';
import { type ConnectivityReport, TARGET_PROFILES, type Target } from './provisioning-api-types.ts';
import { targetPath } from './provisioning-paths.ts';
import { describeRateLimit, parseRateLimit, type RateLimitSetting } from './rate-limit-option.ts';
import {
  addConnectionOptions,
  buildConnection,
  type ConnectionOptions,
  hasConnectionOptions,
  TARGET_SECRET_ENV,
} from './target-connection-options.ts';
import { addNativeApiOptions, buildNativeApi, type NativeApiOptions } from './target-native-api-options.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };
type TargetSettings = ConnectionOptions &
  NativeApiOptions & {
    name?: string;
    profile?: string;
    concurrency?: number;
    rateLimit?: RateLimitSetting;
  };

/** The `settings` of a create or update body, from --concurrency and --rate-limit. */
function settingsOf(options: TargetSettings): { settings?: Record<string, unknown> } {
  const settings = {
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
  };
  return Object.keys(settings).length > 0 ? { settings } : {};
}

const RATE_LIMIT_HELP =
  'requests per second to this target, all processes together (e.g. 20, or 20:40 for bursts of 40); ' +
  'requests over it wait';

function describeAuthentication(target: Target): string {
  const auth = target.authentication;
  return auth.kind === 'bearer' ? 'bearer token' : `OAuth client credentials (${auth.clientId})`;
}

function printTarget(target: Target): void {
  const auth = target.authentication;
  printFields([
    ['Target', target.id],
    ['Name', target.name],
    ['Tenant', target.tenantId],
    ['Profile', target.profile],
    ['Status', target.statusReason === null ? target.status : `${target.status} (${target.statusReason})`],
    ['Base URL', target.baseUrl],
    ...(auth.kind === 'bearer'
      ? ([['Authentication', 'bearer token (set, never shown)']] as const)
      : ([
          ['Authentication', 'OAuth 2.0 client credentials'],
          ['Token URL', auth.tokenUrl],
          ['Client id', auth.clientId],
          ['Client secret', 'set, never shown'],
          ['Client auth', cell(auth.clientAuthentication)],
          ['Parameters in', cell(auth.parametersIn)],
          ['Scope', cell(auth.scope)],
        ] as const)),
    ['Timeout', `${target.timeoutMs} ms`],
    ...(target.nativeApi === null
      ? ([['Native API', 'none']] as const)
      : ([
          [
            'Native API',
            `${target.nativeApi.api} at ${target.nativeApi.protocol}://${target.nativeApi.endpoint} (${target.nativeApi.regionId})`,
          ],
          ['Native AccessKey', `${target.nativeApi.accessKeyId} (secret set, never shown)`],
        ] as const)),
    ['Concurrency', String(target.settings.concurrency)],
    ['Rate limit', describeRateLimit(target.settings.rateLimit)],
    ['Created', target.createdAt],
    ['Updated', target.updatedAt],
  ]);
}

/** One line per step: its status, name and plain sentence (and the target's own words, if any). */
function printReport(target: string, report: ConnectivityReport): void {
  printTable(
    ['STATUS', 'STEP', 'MESSAGE'],
    report.steps.map((step) => [
      step.status,
      step.name,
      [
        step.message,
        step.httpStatus !== undefined ? `(HTTP ${step.httpStatus})` : '',
        step.detail !== undefined ? `Target said: ${step.detail}` : '',
      ]
        .filter((part) => part !== '')
        .join(' '),
    ]),
  );
  if (report.nativeApi !== undefined) printNativeApiCheck(report.nativeApi);
  console.log(report.ok ? `Target ${target} is reachable.` : `Target ${target} failed the test.`);
}

function tenantCommand(parent: Command, name: string): Command {
  return addAdminOptions(parent.command(name)).requiredOption('--tenant <id>', 'tenant id');
}

const profileOption = (description: string) =>
  new Option('--profile <profile>', description).choices(TARGET_PROFILES);

export function registerTargetCommands(program: Command): void {
  const target = program
    .command('target')
    .description('Manage targets: the systems Lockstep provisions accounts to (SCIM, cloud IAMs)');

  addJsonOption(addNativeApiOptions(addConnectionOptions(tenantCommand(target, 'create'), true), false))
    .description(
      `Create a target. Credentials: --bearer-token, or --token-url, --client-id and a client secret; ` +
        `a secret may come from $${TARGET_SECRET_ENV} or standard input instead of a flag. Never printed back. ` +
        "An alibaba-ram target may also get RAM's OpenAPI (--native-...) to clear what blocks a delete.",
    )
    .requiredOption('--name <name>', 'what the target is, e.g. "Alibaba Cloud RAM"')
    .addOption(profileOption('what kind of system it is').makeOptionMandatory())
    .option(
      '--concurrency <n>',
      'requests in flight to this target at once (1-256, default 8)',
      parseWholeNumber,
    )
    .option('--rate-limit <rate>', `${RATE_LIMIT_HELP} (default: none)`, parseRateLimit)
    .action(async (options: TenantOptions & TargetSettings) => {
      const client = connectAdmin(options);
      const connection = await buildConnection(options);
      const nativeApi = await buildNativeApi(options, true);
      const created = await client.post<Target>(targetPath(options.tenant), {
        name: options.name,
        profile: options.profile,
        connection,
        ...(nativeApi !== undefined ? { nativeApi } : {}),
        ...settingsOf(options),
      });
      if (options.json) return printJson(created);
      console.log(`Created target "${created.name}" (${created.id}) in tenant "${created.tenantId}".`);
      console.log(`Next: lockstep target test --tenant ${created.tenantId} ${created.id}`);
    });

  addJsonOption(tenantCommand(target, 'list'))
    .description("List a tenant's targets (never their secrets)")
    .action(async (options: TenantOptions) => {
      const list = await connectAdmin(options).get<ItemList<Target>>(targetPath(options.tenant));
      if (options.json) return printJson(list);
      printTable(
        ['ID', 'NAME', 'PROFILE', 'STATUS', 'BASE URL', 'AUTHENTICATION'],
        list.items.map((t) => [t.id, t.name, t.profile, t.status, t.baseUrl, describeAuthentication(t)]),
      );
    });

  addJsonOption(tenantCommand(target, 'show'))
    .description('Show a target (never its secret)')
    .argument('<target>', 'target id')
    .action(async (id: string, options: TenantOptions) => {
      const found = await connectAdmin(options).get<Target>(targetPath(options.tenant, id));
      if (options.json) return printJson(found);
      printTarget(found);
    });

  addJsonOption(addNativeApiOptions(addConnectionOptions(tenantCommand(target, 'update'), false), true))
    .description(
      "Change a target's name, profile, settings, connection or native API. The stored secret is kept unless " +
        `a new one is given (by flag or standard input; $${TARGET_SECRET_ENV} only when the authentication ` +
        'kind changes); native API flags change only what they name',
    )
    .argument('<target>', 'target id')
    .option('--name <name>', 'new name')
    .addOption(profileOption('new profile'))
    .option('--concurrency <n>', 'requests in flight to this target at once (1-256)', parseWholeNumber)
    .option('--rate-limit <rate>', `${RATE_LIMIT_HELP}; off removes it`, parseRateLimit)
    .action(async (id: string, options: TenantOptions & TargetSettings) => {
      const client = connectAdmin(options);
      const connect = hasConnectionOptions(options);
      const nativeApi = await buildNativeApi(options, false);
      const body = {
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.profile !== undefined ? { profile: options.profile } : {}),
        ...settingsOf(options),
        ...(nativeApi !== undefined ? { nativeApi } : {}),
      };
      if (!connect && Object.keys(body).length === 0)
        throw new UsageError(
          'Nothing to change: give --name, --profile, --concurrency, --rate-limit, connection or native API options',
        );
      const current = connect ? await client.get<Target>(targetPath(options.tenant, id)) : undefined;
      const connection = current !== undefined ? { connection: await buildConnection(options, current) } : {};
      const updated = await client.patch<Target>(targetPath(options.tenant, id), { ...body, ...connection });
      if (options.json) return printJson(updated);
      printTarget(updated);
    });

  tenantCommand(target, 'delete')
    .description('Delete a target (refused while a provisioning uses it)')
    .argument('<target>', 'target id')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .action(async (id: string, options: TenantOptions & { yes?: boolean }) => {
      const client = connectAdmin(options);
      await confirmDeletion(`target ${id} of tenant "${options.tenant}"`, options.yes);
      await client.delete(targetPath(options.tenant, id));
      console.log(`Deleted target ${id}.`);
    });

  addJsonOption(tenantCommand(target, 'test'))
    .description(
      'Test connectivity: authenticate, read the service provider config, look up an account that cannot ' +
        "exist; with a native API, check that its AccessKey may run every cleanup step (see 'provisioning test' " +
        'for what a policy needs). Prints each step; exits 1 when a step failed',
    )
    .argument('<target>', 'target id')
    .option('--matching-attribute <attribute>', 'the User attribute to look up (default: userName)')
    .action(async (id: string, options: TenantOptions & { matchingAttribute?: string }) => {
      const report = await connectAdmin(options).post<ConnectivityReport>(
        `${targetPath(options.tenant, id)}/test`,
        options.matchingAttribute !== undefined ? { matchingAttribute: options.matchingAttribute } : {},
      );
      if (options.json) printJson(report);
      else printReport(id, report);
      if (!report.ok) process.exitCode = EXIT.failure;
    });

  addJsonOption(tenantCommand(target, 'resume'))
    .description('Resume a quarantined target: its queued work goes on at once')
    .argument('<target>', 'target id')
    .action(async (id: string, options: TenantOptions) => {
      const resumed = await connectAdmin(options).post<Target>(`${targetPath(options.tenant, id)}/resume`);
      if (options.json) return printJson(resumed);
      console.log(`Target "${resumed.name}" (${resumed.id}) is ${resumed.status}.`);
    });
}
