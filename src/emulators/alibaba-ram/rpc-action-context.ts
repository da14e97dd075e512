import { formatRamInstant } from './emulator-clock.ts';
import type { RamDirectoryError, RamDirectoryResult } from './ram-directory.ts';
import type { RamEmulatorState } from './ram-emulator-state.ts';
import { RamRpcError, userNotFound } from './ram-rpc-error.ts';
import type { RamUser } from './ram-user.ts';

/** An RPC action's parameters (query and form body merged), read with RAM's refusals. */
export interface RpcParams {
  /** `Missing<Name>` (400) when absent or empty, like RAM's `MissingUserName`. */
  required(name: string): string;
  optional(name: string): string | undefined;
  /** `"true"` / `"false"`; `InvalidParameter.<Name>` otherwise. */
  flag(name: string): boolean | undefined;
}

export interface RpcContext {
  state: RamEmulatorState;
  params: RpcParams;
  /** The current instant as RAM writes it. */
  now(): string;
  /** The user named by `UserName`, or `EntityNotExist.User`. */
  requireUser(): RamUser;
}

export type RpcAction = (context: RpcContext) => Record<string, unknown>;

export function createRpcParams(values: ReadonlyMap<string, string>): RpcParams {
  const optional = (name: string) => {
    const value = values.get(name);
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    optional,
    required(name) {
      const value = optional(name);
      if (value === undefined)
        throw new RamRpcError(400, `Missing${name}`, `${name} is mandatory for this action.`);
      return value;
    },
    flag(name) {
      const value = optional(name);
      if (value === undefined) return undefined;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new RamRpcError(400, `InvalidParameter.${name}`, `The parameter ${name} must be true or false.`);
    },
  };
}

export function createRpcContext(state: RamEmulatorState, params: RpcParams): RpcContext {
  return {
    state,
    params,
    now: () => formatRamInstant(state.clock.now()),
    requireUser() {
      const userName = params.required('UserName');
      const user = state.directory.findUserByName(userName);
      if (user === undefined) throw userNotFound(userName);
      return user;
    },
  };
}

/** The value of a directory result, or the refusal as RAM's RPC API words it. */
export function unwrap<T>(result: RamDirectoryResult<T>, userName: string): T {
  if (result.ok) return result.value;
  throw toRpcError(result.error, userName);
}

export function toRpcError(error: RamDirectoryError, userName: string): RamRpcError {
  switch (error.kind) {
    case 'notFound':
      return userNotFound(userName);
    case 'userNameTaken':
      return new RamRpcError(409, 'EntityAlreadyExists.User', 'The user does already exist.');
    case 'externalIdTaken':
    case 'notScimManaged':
      return new RamRpcError(409, 'EntityAlreadyExists.User', error.detail);
    case 'deleteConflict':
      return new RamRpcError(409, error.code, error.detail);
    case 'rpc':
      return new RamRpcError(error.status, error.code, error.detail);
  }
}

/** A refusal from inside `updateDependents`. */
export function refuse(
  status: number,
  code: string,
  detail: string,
): { ok: false; error: RamDirectoryError } {
  return { ok: false, error: { kind: 'rpc', status, code, detail } };
}

/** A user as GetUser and CreateUser render it. */
export function renderRpcUser(user: RamUser): Record<string, unknown> {
  return {
    UserId: user.id,
    UserName: user.userName,
    DisplayName: user.displayName,
    Comments: user.comments ?? '',
    CreateDate: formatRamInstant(user.created),
    UpdateDate: formatRamInstant(user.lastModified),
  };
}
