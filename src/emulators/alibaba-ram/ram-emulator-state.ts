import { createEmulatorClock, type EmulatorClock } from './emulator-clock.ts';
import { createFaultInjector, type FaultInjector } from './fault-injector.ts';
import { createOauthRegistry, type OauthRegistry, type RamOauthAppInput } from './oauth-registry.ts';
import { createRamAccountCatalog, type RamAccountCatalog } from './ram-account-catalog.ts';
import { createRamDirectory, type RamDirectory } from './ram-directory.ts';
import { generateDigits } from './ram-identifiers.ts';
import type { RamUser } from './ram-user.ts';
import { createRequestJournal, type RequestJournal } from './request-journal.ts';
import { createRpcCallerKeys, type RpcCallerKeyInput, type RpcCallerKeys } from './rpc-caller-keys.ts';
import { createRpcNonces, type RpcNonces } from './rpc-nonces.ts';

export interface RamEmulatorStateOptions {
  /** OAuth apps present from the start; one with generated credentials when none are given. */
  apps?: readonly RamOauthAppInput[];
  /** The Alibaba Cloud account id (16 digits, generated when absent). */
  accountId?: string;
  /** Defaults to `<accountId>.onaliyun.com`. */
  defaultDomain?: string;
  displayNameMaxLength?: number;
  /** Stands in for the wall clock (tests that need exact instants). */
  wallClock?: () => number;
  /** AccessKeys allowed to call the RPC API; one generated full-access key when none are given. */
  rpcKeys?: readonly RpcCallerKeyInput[];
}

/** Everything the emulator knows, and the in-process API tests use to seed and inspect it. */
export interface RamEmulatorState {
  readonly clock: EmulatorClock;
  readonly directory: RamDirectory;
  /** Groups, policies and virtual MFA devices (the RPC API's). */
  readonly catalog: RamAccountCatalog;
  readonly rpcKeys: RpcCallerKeys;
  readonly nonces: RpcNonces;
  readonly oauth: OauthRegistry;
  readonly faults: FaultInjector;
  readonly journal: RequestJournal;
  /** Back to the start: no users, no tokens, no faults, the initial apps, the wall clock. */
  reset(): void;
  snapshot(): RamStateSnapshot;
}

export interface RamStateSnapshot {
  accountId: string;
  defaultDomain: string;
  now: string;
  users: (RamUser & { principalName: string })[];
  apps: { clientId: string; scopes: string[]; accessTokenValiditySeconds: number }[];
  issuedTokens: number;
  groups: ReturnType<RamAccountCatalog['listGroups']>;
  customPolicies: ReturnType<RamAccountCatalog['listPolicies']>;
  virtualMfaDevices: Omit<ReturnType<RamAccountCatalog['listMfaDevices']>[number], 'base32StringSeed'>[];
  rpcKeys: ReturnType<RpcCallerKeys['list']>;
}

export function createRamEmulatorState(options: RamEmulatorStateOptions = {}): RamEmulatorState {
  const clock = createEmulatorClock(options.wallClock);
  const accountId = options.accountId ?? generateDigits(16);
  const catalog = createRamAccountCatalog(accountId, clock.now);
  const directory = createRamDirectory(clock, {
    accountId,
    catalog,
    ...(options.defaultDomain !== undefined ? { defaultDomain: options.defaultDomain } : {}),
    ...(options.displayNameMaxLength !== undefined
      ? { displayNameMaxLength: options.displayNameMaxLength }
      : {}),
  });
  const oauth = createOauthRegistry(clock, options.apps && options.apps.length > 0 ? options.apps : [{}]);
  const faults = createFaultInjector();
  const journal = createRequestJournal();
  const rpcKeys = createRpcCallerKeys(options.rpcKeys && options.rpcKeys.length > 0 ? options.rpcKeys : [{}]);
  const nonces = createRpcNonces();
  return {
    clock,
    directory,
    catalog,
    rpcKeys,
    nonces,
    oauth,
    faults,
    journal,
    reset() {
      directory.reset();
      catalog.reset();
      rpcKeys.reset();
      nonces.clear();
      oauth.reset();
      faults.clear();
      journal.clear();
      clock.reset();
    },
    snapshot: () => ({
      accountId,
      defaultDomain: directory.defaultDomain,
      now: new Date(clock.now()).toISOString(),
      users: directory
        .listUsers()
        .map((user) => ({ ...user, principalName: `${user.userName}@${directory.defaultDomain}` })),
      // Secrets stay out of dumps; tests that configured them know them.
      apps: oauth.listApps().map(({ clientSecret: _secret, ...app }) => app),
      issuedTokens: oauth.countTokens(),
      groups: catalog.listGroups(),
      customPolicies: catalog.listPolicies('Custom'),
      virtualMfaDevices: catalog.listMfaDevices().map(({ base32StringSeed: _seed, ...device }) => device),
      rpcKeys: rpcKeys.list(),
    }),
  };
}
