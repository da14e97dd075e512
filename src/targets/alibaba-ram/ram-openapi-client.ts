import * as $OpenApi from '@alicloud/openapi-core';
import * as $Ram from '@alicloud/ram20150501';
import { z } from 'zod';
import { type RamOpenapiResult, toRamOpenapiError } from './ram-openapi-error.ts';

/** RAM is a global service: one endpoint for every region. */
export const RAM_ENDPOINT = 'ram.aliyuncs.com';

/**
 * How to reach RAM's OpenAPI (2015-05-01). Production: `ram.aliyuncs.com` over https; tests: the
 * emulator's `127.0.0.1:<port>` over http. Same client code either way.
 */
export const RamOpenapiConfigSchema = z.strictObject({
  /** Host and optional port, no scheme: `ram.aliyuncs.com`, `127.0.0.1:43121`. */
  endpoint: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'endpoint is a host[:port] without a scheme, e.g. ram.aliyuncs.com')
    .default(RAM_ENDPOINT),
  protocol: z.enum(['https', 'http']).default('https'),
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  regionId: z.string().min(1).default('cn-hangzhou'),
  connectTimeoutMs: z.int().positive().default(5_000),
  readTimeoutMs: z.int().positive().default(10_000),
});

export type RamOpenapiConfigInput = z.input<typeof RamOpenapiConfigSchema>;
export type RamOpenapiConfig = z.output<typeof RamOpenapiConfigSchema>;
/**
 * The SDK is CommonJS with `exports.default = Client`; Node (and TypeScript under nodenext) give an
 * ES module importer `module.exports` as the default export, so the class is `default.default`.
 */
const RamSdk = $Ram.default.default;
type RamSdkClient = InstanceType<typeof RamSdk>;

/** The official SDK's client, configured. Signs with ACS3-HMAC-SHA256; no SDK retries (Lockstep retries). */
export function createRamSdkClient(config: RamOpenapiConfig): RamSdkClient {
  return new RamSdk(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      endpoint: config.endpoint,
      protocol: config.protocol,
      regionId: config.regionId,
      connectTimeout: config.connectTimeoutMs,
      readTimeout: config.readTimeoutMs,
    }),
  );
}

const UserSchema = z.object({
  userId: z.string(),
  userName: z.string(),
  displayName: z.string().optional(),
  comments: z.string().optional(),
  createDate: z.string().optional(),
});
const AccessKeySchema = z.object({
  accessKeyId: z.string(),
  status: z.string(),
  createDate: z.string().optional(),
});
const LoginProfileSchema = z.object({
  userName: z.string(),
  passwordResetRequired: z.boolean().optional(),
  MFABindRequired: z.boolean().optional(),
  createDate: z.string().optional(),
});
const MfaDeviceSchema = z.object({ serialNumber: z.string(), type: z.string().optional() });
const GroupSchema = z.object({ groupName: z.string(), joinDate: z.string().optional() });
const PolicySchema = z.object({
  policyName: z.string(),
  policyType: z.enum(['System', 'Custom']),
  attachDate: z.string().optional(),
});

export type RamOpenapiUser = z.infer<typeof UserSchema>;
export type RamOpenapiAccessKey = z.infer<typeof AccessKeySchema>;
export type RamOpenapiLoginProfile = z.infer<typeof LoginProfileSchema>;
export type RamOpenapiMfaDevice = z.infer<typeof MfaDeviceSchema>;
export type RamOpenapiGroup = z.infer<typeof GroupSchema>;
export type RamOpenapiPolicy = z.infer<typeof PolicySchema>;

export interface RamOpenapiClient {
  getUser(userName: string): Promise<RamOpenapiResult<RamOpenapiUser>>;
  createUser(user: {
    userName: string;
    displayName?: string;
    comments?: string;
  }): Promise<RamOpenapiResult<RamOpenapiUser>>;
  deleteUser(userName: string): Promise<RamOpenapiResult<void>>;
  listAccessKeys(userName: string): Promise<RamOpenapiResult<RamOpenapiAccessKey[]>>;
  deleteAccessKey(userName: string, accessKeyId: string): Promise<RamOpenapiResult<void>>;
  /** Null when the user has no login profile. */
  getLoginProfile(userName: string): Promise<RamOpenapiResult<RamOpenapiLoginProfile | null>>;
  deleteLoginProfile(userName: string): Promise<RamOpenapiResult<void>>;
  /** Null when the user has no MFA device. */
  getUserMfaInfo(userName: string): Promise<RamOpenapiResult<RamOpenapiMfaDevice | null>>;
  /** Answers the serial number of the device it unbound. */
  unbindMfaDevice(userName: string): Promise<RamOpenapiResult<{ serialNumber: string }>>;
  deleteVirtualMfaDevice(serialNumber: string): Promise<RamOpenapiResult<void>>;
  listGroupsForUser(userName: string): Promise<RamOpenapiResult<RamOpenapiGroup[]>>;
  removeUserFromGroup(userName: string, groupName: string): Promise<RamOpenapiResult<void>>;
  /** Restores a membership; `EntityAlreadyExists.User.Group` when the user is already in it. */
  addUserToGroup(userName: string, groupName: string): Promise<RamOpenapiResult<void>>;
  listPoliciesForUser(userName: string): Promise<RamOpenapiResult<RamOpenapiPolicy[]>>;
  detachPolicyFromUser(
    userName: string,
    policy: { policyName: string; policyType: 'System' | 'Custom' },
  ): Promise<RamOpenapiResult<void>>;
  /** Restores an attachment; `EntityAlreadyExists.User.Policy` when it is already attached. */
  attachPolicyToUser(
    userName: string,
    policy: { policyName: string; policyType: 'System' | 'Custom' },
  ): Promise<RamOpenapiResult<void>>;
}

/**
 * RAM's OpenAPI through the official SDK (`@alicloud/ram20150501`), one result-valued method per
 * action Lockstep uses to deprovision a RAM user. Answers are checked against the fields Lockstep
 * reads; an answer without them is a `server_error` with code `BadResponse`.
 * @see REFERENCE.md §5
 */
export function createRamOpenapiClient(input: RamOpenapiConfigInput): RamOpenapiClient {
  const config = RamOpenapiConfigSchema.parse(input);
  const sdk = createRamSdkClient(config);

  const call = async <T>(
    action: string,
    run: () => Promise<T>,
    absentCode?: string,
  ): Promise<RamOpenapiResult<T | null>> => {
    try {
      return { ok: true, value: await run() };
    } catch (thrown) {
      if (thrown instanceof BadResponseError) {
        return {
          ok: false,
          error: {
            kind: 'server_error',
            action,
            code: 'BadResponse',
            status: 200,
            requestId: undefined,
            retryAfterMs: undefined,
            message: `RAM ${action}: unexpected answer (${thrown.message})`,
          },
        };
      }
      const error = toRamOpenapiError(action, thrown, config.accessKeySecret);
      if (absentCode !== undefined && error.code === absentCode) return { ok: true, value: null };
      return { ok: false, error };
    }
  };
  // `call` without an absent code never answers null.
  const must = <T>(action: string, run: () => Promise<T>) =>
    call(action, run) as Promise<RamOpenapiResult<T>>;
  const done = (_answer: unknown) => undefined;

  return {
    getUser: (userName) =>
      must('GetUser', async () =>
        read(UserSchema, (await sdk.getUser(new $Ram.GetUserRequest({ userName }))).body?.user),
      ),
    createUser: (user) =>
      must('CreateUser', async () =>
        read(UserSchema, (await sdk.createUser(new $Ram.CreateUserRequest(user))).body?.user),
      ),
    deleteUser: (userName) =>
      must('DeleteUser', async () => done(await sdk.deleteUser(new $Ram.DeleteUserRequest({ userName })))),
    listAccessKeys: (userName) =>
      must('ListAccessKeys', async () =>
        read(
          z.array(AccessKeySchema),
          (await sdk.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName }))).body?.accessKeys
            ?.accessKey ?? [],
        ),
      ),
    deleteAccessKey: (userName, accessKeyId) =>
      must('DeleteAccessKey', async () =>
        done(
          await sdk.deleteAccessKey(
            new $Ram.DeleteAccessKeyRequest({ userName, userAccessKeyId: accessKeyId }),
          ),
        ),
      ),
    getLoginProfile: (userName) =>
      call(
        'GetLoginProfile',
        async () =>
          read(
            LoginProfileSchema,
            (await sdk.getLoginProfile(new $Ram.GetLoginProfileRequest({ userName }))).body?.loginProfile,
          ),
        'EntityNotExist.User.LoginProfile',
      ),
    deleteLoginProfile: (userName) =>
      must('DeleteLoginProfile', async () =>
        done(await sdk.deleteLoginProfile(new $Ram.DeleteLoginProfileRequest({ userName }))),
      ),
    getUserMfaInfo: (userName) =>
      call(
        'GetUserMFAInfo',
        async () =>
          read(
            MfaDeviceSchema,
            (await sdk.getUserMFAInfo(new $Ram.GetUserMFAInfoRequest({ userName }))).body?.MFADevice,
          ),
        'EntityNotExist.User.MFADevice',
      ),
    unbindMfaDevice: (userName) =>
      must('UnbindMFADevice', async () =>
        read(
          z.object({ serialNumber: z.string() }),
          (await sdk.unbindMFADevice(new $Ram.UnbindMFADeviceRequest({ userName }))).body?.MFADevice,
        ),
      ),
    deleteVirtualMfaDevice: (serialNumber) =>
      must('DeleteVirtualMFADevice', async () =>
        done(await sdk.deleteVirtualMFADevice(new $Ram.DeleteVirtualMFADeviceRequest({ serialNumber }))),
      ),
    listGroupsForUser: (userName) =>
      must('ListGroupsForUser', async () =>
        read(
          z.array(GroupSchema),
          (await sdk.listGroupsForUser(new $Ram.ListGroupsForUserRequest({ userName }))).body?.groups
            ?.group ?? [],
        ),
      ),
    removeUserFromGroup: (userName, groupName) =>
      must('RemoveUserFromGroup', async () =>
        done(await sdk.removeUserFromGroup(new $Ram.RemoveUserFromGroupRequest({ userName, groupName }))),
      ),
    addUserToGroup: (userName, groupName) =>
      must('AddUserToGroup', async () =>
        done(await sdk.addUserToGroup(new $Ram.AddUserToGroupRequest({ userName, groupName }))),
      ),
    listPoliciesForUser: (userName) =>
      must('ListPoliciesForUser', async () =>
        read(
          z.array(PolicySchema),
          (await sdk.listPoliciesForUser(new $Ram.ListPoliciesForUserRequest({ userName }))).body?.policies
            ?.policy ?? [],
        ),
      ),
    detachPolicyFromUser: (userName, policy) =>
      must('DetachPolicyFromUser', async () =>
        done(await sdk.detachPolicyFromUser(new $Ram.DetachPolicyFromUserRequest({ userName, ...policy }))),
      ),
    attachPolicyToUser: (userName, policy) =>
      must('AttachPolicyToUser', async () =>
        done(await sdk.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest({ userName, ...policy }))),
      ),
  };
}

class BadResponseError extends Error {}

/** The SDK's model object checked against what Lockstep reads (plain data out). */
function read<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new BadResponseError(
      parsed.error.issues.map((issue) => issue.path.join('.') || issue.message).join(', '),
    );
  return parsed.data;
}
