import { generateAccessKeyId, generateAlphanumeric } from './ram-identifiers.ts';
import { RamRpcError } from './ram-rpc-error.ts';
import { explainInvalidDisplayName, explainInvalidUserName } from './ram-user-rules.ts';
import { type RpcAction, refuse, renderRpcUser, unwrap } from './rpc-action-context.ts';

/** RAM allows two AccessKeys per user. */
const MAX_ACCESS_KEYS = 2;

/**
 * Users, their AccessKeys and their console logon (login profile), as RAM's 2015-05-01 RPC API
 * names and answers them. Refusal codes follow the RAM API reference; those marked *unverified* in
 * comments are the natural `EntityNotExist.User.<Thing>` / `EntityAlreadyExists.User.<Thing>`.
 * @see REFERENCE.md §5
 */
export const RPC_USER_ACTIONS: Record<string, RpcAction> = {
  CreateUser({ state, params }) {
    const userName = params.required('UserName');
    const displayName = params.optional('DisplayName') ?? userName;
    const problem = explainInvalidUserName(userName) ?? explainInvalidDisplayName(displayName, 128);
    if (problem !== undefined) throw new RamRpcError(400, 'InvalidParameter.UserName', problem);
    const user = unwrap(
      state.directory.createUser({ userName, displayName, comments: params.optional('Comments') }, 'console'),
      userName,
    );
    return { User: renderRpcUser(user) };
  },

  GetUser: ({ requireUser }) => ({ User: renderRpcUser(requireUser()) }),

  ListUsers({ state, params }) {
    const maxItems = Math.min(Math.max(Number(params.optional('MaxItems') ?? 100) || 100, 1), 1000);
    const start = Number(params.optional('Marker') ?? 0) || 0;
    const users = state.directory.listUsers();
    const page = users.slice(start, start + maxItems);
    const truncated = start + maxItems < users.length;
    return {
      IsTruncated: truncated,
      ...(truncated ? { Marker: String(start + maxItems) } : {}),
      Users: { User: page.map(renderRpcUser) },
    };
  },

  DeleteUser({ state, requireUser }) {
    const user = requireUser();
    unwrap(state.directory.deleteUser(user.id, 'rpc'), user.userName);
    return {};
  },

  CreateAccessKey({ state, requireUser, now }) {
    const user = requireUser();
    const key = { accessKeyId: generateAccessKeyId(), status: 'Active' as const, createDate: now() };
    unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        if (dependents.accessKeys.length >= MAX_ACCESS_KEYS) {
          return refuse(409, 'LimitExceeded.User.AccessKey', 'Current AccessKey number exceeds the limit.');
        }
        dependents.accessKeys.push(key);
        return { ok: true, value: key };
      }),
      user.userName,
    );
    // The secret is shown once and not kept: these keys sign nothing here.
    return {
      AccessKey: {
        AccessKeyId: key.accessKeyId,
        AccessKeySecret: generateAlphanumeric(30),
        Status: key.status,
        CreateDate: key.createDate,
      },
    };
  },

  ListAccessKeys: ({ requireUser }) => ({
    AccessKeys: {
      AccessKey: requireUser().dependents.accessKeys.map((key) => ({
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        CreateDate: key.createDate,
      })),
    },
  }),

  DeleteAccessKey({ state, params, requireUser }) {
    const user = requireUser();
    const accessKeyId = params.required('UserAccessKeyId');
    unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        const index = dependents.accessKeys.findIndex((key) => key.accessKeyId === accessKeyId);
        // *unverified*: the exact code for a key the user does not have.
        if (index < 0) return refuse(404, 'EntityNotExist.User.AccessKey', 'The AccessKey does not exist.');
        dependents.accessKeys.splice(index, 1);
        return { ok: true, value: undefined };
      }),
      user.userName,
    );
    return {};
  },

  CreateLoginProfile({ state, params, requireUser, now }) {
    const user = requireUser();
    params.required('Password');
    const profile = {
      passwordResetRequired: params.flag('PasswordResetRequired') ?? false,
      mfaBindRequired: params.flag('MFABindRequired') ?? false,
      createDate: now(),
    };
    unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        if (dependents.loginProfile !== null) {
          return refuse(
            409,
            'EntityAlreadyExists.User.LoginProfile',
            'The login profile of the user does already exist.',
          );
        }
        dependents.loginProfile = profile;
        return { ok: true, value: profile };
      }),
      user.userName,
    );
    return { LoginProfile: renderLoginProfile(user.userName, profile) };
  },

  GetLoginProfile({ requireUser }) {
    const user = requireUser();
    const profile = user.dependents.loginProfile;
    if (profile === null) throw loginProfileNotFound();
    return { LoginProfile: renderLoginProfile(user.userName, profile) };
  },

  DeleteLoginProfile({ state, requireUser }) {
    const user = requireUser();
    unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        if (dependents.loginProfile === null) {
          const error = loginProfileNotFound();
          return refuse(error.status, error.code, error.message);
        }
        dependents.loginProfile = null;
        return { ok: true, value: undefined };
      }),
      user.userName,
    );
    return {};
  },
};

function loginProfileNotFound(): RamRpcError {
  return new RamRpcError(
    404,
    'EntityNotExist.User.LoginProfile',
    'The login profile of the user does not exist.',
  );
}

function renderLoginProfile(
  userName: string,
  profile: { passwordResetRequired: boolean; mfaBindRequired: boolean; createDate: string },
): Record<string, unknown> {
  return {
    UserName: userName,
    PasswordResetRequired: profile.passwordResetRequired,
    MFABindRequired: profile.mfaBindRequired,
    CreateDate: profile.createDate,
  };
}
