import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { NativeApiPermissionReport } from './check-native-api.ts';
import {
  type ConnectivityProblem,
  describeConnectivityFailure,
  type FailureContext,
} from './describe-connectivity-failure.ts';
import { resolveCapabilities } from './profiles/resolve-capabilities.ts';
import type { TargetCapabilities, TargetProfile } from './profiles/target-profile.ts';
import { createScimClient, type ScimClient } from './scim-client/create-scim-client.ts';
import type { FetchFunction } from './scim-client/exchange-http.ts';
import { NO_RETRY_POLICY } from './scim-client/retry-policy.ts';
import {
  type ScimConnection,
  type ScimConnectionInput,
  ScimConnectionSchema,
} from './scim-client/scim-connection.ts';

export type ConnectivityStepName = 'configuration' | 'authenticate' | 'service_provider_config' | 'lookup';

export interface ConnectivityStep {
  readonly name: ConnectivityStepName;
  /** `warning`: not as expected, but the target can still be used; `skipped`: not applicable or not reached. */
  readonly status: 'ok' | 'warning' | 'failed' | 'skipped';
  /** One plain sentence. */
  readonly message: string;
  readonly problem?: ConnectivityProblem;
  readonly httpStatus?: number;
  /** The target's own words (a SCIM `detail` or OAuth `error_description`), when it gave any. */
  readonly detail?: string;
}

export interface ConnectivityReport {
  /** True when no step failed. */
  readonly ok: boolean;
  readonly steps: readonly ConnectivityStep[];
  /** What the engine may use, the profile's merged with `/ServiceProviderConfig`; undefined on failure. */
  readonly capabilities: TargetCapabilities | undefined;
  /** With a native API: whether its credentials may run the deprovisioning actions (issue 5, item 8). */
  readonly nativeApi?: NativeApiPermissionReport;
}

export interface ConnectivityTestInput {
  readonly profile: TargetProfile;
  readonly connection: ScimConnectionInput;
  /** The User attribute accounts are matched on (default `userName`). */
  readonly matchingAttribute?: string;
  readonly fetch?: FetchFunction;
}

const STEP_NAMES: readonly ConnectivityStepName[] = ['authenticate', 'service_provider_config', 'lookup'];
const ListResponseSchema = z.looseObject({
  totalResults: z.union([z.int().min(0), z.string().regex(/^\d+$/).transform(Number)]),
  Resources: z.array(z.unknown()).optional(),
});

/**
 * Test connectivity, the way Entra's "Test connection" does (REFERENCE.md §2): authenticate, read
 * `/ServiceProviderConfig` where the profile has one, then look up an account that cannot exist by
 * the matching attribute and expect an empty ListResponse. Each step reports one plain sentence; the
 * first failure ends the test and the later steps are reported as skipped. Never throws.
 */
export async function testConnectivity(input: ConnectivityTestInput): Promise<ConnectivityReport> {
  const steps: ConnectivityStep[] = [];
  let capabilities: TargetCapabilities | undefined;
  const report = (): ConnectivityReport => {
    const failed = steps.some((step) => step.status === 'failed');
    for (const name of STEP_NAMES) {
      if (failed && !steps.some((step) => step.name === name))
        steps.push({ name, status: 'skipped', message: 'Not tried: an earlier step failed.' });
    }
    return { ok: !failed, steps, capabilities: failed ? undefined : capabilities };
  };

  const parsed = ScimConnectionSchema.safeParse(input.connection);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'connection'))];
    steps.push({
      name: 'configuration',
      status: 'failed',
      problem: 'invalid_configuration',
      message: `The connection settings are incomplete or invalid: ${fields.join(', ')}.`,
    });
    return report();
  }
  const connection = parsed.data;
  const client = createScimClient(connection, {
    tokenConvention: input.profile.token,
    retryPolicy: NO_RETRY_POLICY,
    ...(input.fetch !== undefined ? { fetch: input.fetch } : {}),
  });
  const context = contextOf(connection, input.profile);
  try {
    if (!(await authenticate(client, connection, context, steps))) return report();
    const learnt = await readServiceProviderConfig(client, input.profile, context, steps);
    if (learnt === 'stop') return report();
    capabilities = learnt;
    await lookUpNonExistentAccount(client, input, capabilities, context, steps);
  } catch (error) {
    steps.push({
      name: steps.length === 0 ? 'authenticate' : 'lookup',
      status: 'failed',
      problem: 'internal',
      message: `The connectivity test stopped on an unexpected ${error instanceof Error ? error.name : 'error'}; this is a Lockstep bug.`,
    });
  }
  return report();
}

async function authenticate(
  client: ScimClient,
  connection: ScimConnection,
  context: FailureContext,
  steps: ConnectivityStep[],
): Promise<boolean> {
  if (connection.authentication.kind === 'bearer') {
    steps.push({
      name: 'authenticate',
      status: 'skipped',
      message: 'A static bearer token is configured; the target checks it in the next steps.',
    });
    return true;
  }
  const result = await client.authenticate({ fresh: true });
  if (result.ok) {
    steps.push({ name: 'authenticate', status: 'ok', message: 'The token endpoint issued an access token.' });
    return true;
  }
  steps.push(failedStep('authenticate', result.error, context));
  return false;
}

/** The capabilities to use, or `stop` when the step failed in a way later steps would repeat. */
async function readServiceProviderConfig(
  client: ScimClient,
  profile: TargetProfile,
  context: FailureContext,
  steps: ConnectivityStep[],
): Promise<TargetCapabilities | 'stop'> {
  const name = 'service_provider_config';
  if (!profile.servesServiceProviderConfig) {
    steps.push({
      name,
      status: 'skipped',
      message: `${profile.title} documents no /ServiceProviderConfig; its profile says what it supports.`,
    });
    return profile.capabilities;
  }
  const response = await client.request('GET', '/ServiceProviderConfig');
  if (!response.ok) {
    const fatal = ['unreachable', 'tls', 'timeout', 'unauthorized', 'forbidden'].includes(
      response.error.kind,
    );
    if (fatal) {
      steps.push(failedStep(name, response.error, { ...context, endpoint: '/ServiceProviderConfig' }));
      return 'stop';
    }
    steps.push({
      name,
      status: 'warning',
      problem: 'service_provider_config_unavailable',
      ...(response.error.status !== undefined ? { httpStatus: response.error.status } : {}),
      message: `The target did not serve /ServiceProviderConfig (${response.error.status ?? response.error.kind}); assuming the ${profile.title} profile's defaults.`,
    });
    return profile.capabilities;
  }
  const resolved = resolveCapabilities(profile, response.body);
  if (!resolved.ok) {
    steps.push({
      name,
      status: 'warning',
      problem: 'invalid_service_provider_config',
      message: `${resolved.error.message}; assuming the profile's defaults.`,
    });
    return profile.capabilities;
  }
  steps.push({ name, status: 'ok', message: summarize(resolved.value, resolved.learnt) });
  return resolved.value;
}

async function lookUpNonExistentAccount(
  client: ScimClient,
  input: ConnectivityTestInput,
  capabilities: TargetCapabilities,
  context: FailureContext,
  steps: ConnectivityStep[],
): Promise<void> {
  const attribute = input.matchingAttribute ?? 'userName';
  const allowed =
    capabilities.filter.attributes === 'any' ? undefined : (capabilities.filter.attributes.User ?? []);
  if (
    !capabilities.filter.supported ||
    !capabilities.filter.operators.includes('eq') ||
    (allowed !== undefined && !allowed.some((name) => name.toLowerCase() === attribute.toLowerCase()))
  ) {
    steps.push({
      name: 'lookup',
      status: 'failed',
      problem: 'matching_attribute_unsupported',
      message: `${input.profile.title} cannot filter users on ${attribute}${allowed === undefined ? '' : `; it filters on ${allowed.join(', ')}`}. Choose another matching attribute.`,
    });
    return;
  }
  // Lower-case and plain: valid for every target, including those that lower-case values (RAM).
  const value = `lockstep-connectivity-check-${randomBytes(6).toString('hex')}`;
  const filter = `${attribute} eq "${value}"`;
  const response = await client.request('GET', `/Users?filter=${encodeURIComponent(filter)}`);
  if (!response.ok) {
    steps.push(failedStep('lookup', response.error, { ...context, endpoint: '/Users', filter }));
    return;
  }
  const list = ListResponseSchema.safeParse(response.body);
  if (!list.success) {
    steps.push({
      name: 'lookup',
      status: 'failed',
      problem: 'target_bad_response',
      httpStatus: response.status,
      message: `The target answered the query on /Users with ${response.status} but not with a SCIM ListResponse. Check the SCIM base URL.`,
    });
    return;
  }
  if (list.data.totalResults > 0) {
    steps.push({
      name: 'lookup',
      status: 'warning',
      problem: 'unexpected_matches',
      message: `The query for a user that cannot exist (${filter}) matched ${list.data.totalResults}; the target may ignore filters, which would make matching unsafe.`,
    });
    return;
  }
  steps.push({
    name: 'lookup',
    status: 'ok',
    message: `The target answered a query by ${attribute} as expected (no such user).`,
  });
}

function failedStep(
  name: ConnectivityStepName,
  error: Parameters<typeof describeConnectivityFailure>[0],
  context: FailureContext,
): ConnectivityStep {
  const described = describeConnectivityFailure(error, context);
  return {
    name,
    status: 'failed',
    problem: described.problem,
    message: described.message,
    ...(error.status !== undefined ? { httpStatus: error.status } : {}),
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
  };
}

function contextOf(connection: ScimConnection, profile: TargetProfile): FailureContext {
  const auth = connection.authentication;
  return {
    authentication: auth.kind,
    scope: auth.kind === 'oauth_client_credentials' ? (auth.scope ?? profile.token.defaultScope) : undefined,
    endpoint: '/Users',
  };
}

function summarize(capabilities: TargetCapabilities, learnt: boolean): string {
  const bulk = capabilities.bulk.supported
    ? `Bulk up to ${capabilities.bulk.maxOperations} operations`
    : 'no Bulk';
  const filter = capabilities.filter.supported
    ? `filters${capabilities.filter.maxResults === undefined ? '' : ` up to ${capabilities.filter.maxResults} results`}`
    : 'no filters';
  const prefix = learnt
    ? 'Read /ServiceProviderConfig'
    : 'Read /ServiceProviderConfig (the profile’s documented limits apply)';
  return `${prefix}: updates by ${capabilities.updateMethod}, ${bulk}, ${filter}, ${capabilities.paging.kind} paging.`;
}
