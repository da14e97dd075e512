import { z } from 'zod';
import { generateAccessKeyId, generateAlphanumeric } from './ram-identifiers.ts';

/**
 * The AccessKeys that may call the emulator's RPC API: the keys of whoever runs Lockstep, not of the
 * RAM users the API manages. `full` may do everything (AliyunRAMFullAccess); `readOnly` only
 * `Get*` and `List*` (AliyunRAMReadOnlyAccess) and gets `NoPermission` on writes.
 */
export const RpcCallerKeySchema = z.strictObject({
  accessKeyId: z.string().min(1).optional(),
  accessKeySecret: z.string().min(1).optional(),
  permission: z.enum(['full', 'readOnly']).default('full'),
});

export type RpcCallerKeyInput = z.input<typeof RpcCallerKeySchema>;
export type RpcPermission = 'full' | 'readOnly';

export interface RpcCallerKey {
  accessKeyId: string;
  accessKeySecret: string;
  permission: RpcPermission;
}

export interface RpcCallerKeys {
  add(input: RpcCallerKeyInput): RpcCallerKey;
  find(accessKeyId: string): RpcCallerKey | undefined;
  /** Without secrets. */
  list(): Omit<RpcCallerKey, 'accessKeySecret'>[];
  /** Back to the keys given at start. */
  reset(): void;
}

export function createRpcCallerKeys(initial: readonly RpcCallerKeyInput[]): RpcCallerKeys {
  const keys = new Map<string, RpcCallerKey>();
  const add = (input: RpcCallerKeyInput): RpcCallerKey => {
    const parsed = RpcCallerKeySchema.parse(input);
    const key: RpcCallerKey = {
      accessKeyId: parsed.accessKeyId ?? generateAccessKeyId(),
      accessKeySecret: parsed.accessKeySecret ?? generateAlphanumeric(30),
      permission: parsed.permission,
    };
    if (keys.has(key.accessKeyId)) throw new RangeError(`AccessKey ${key.accessKeyId} is already configured`);
    keys.set(key.accessKeyId, key);
    return { ...key };
  };
  const seeded = initial.map((input) => add(input));
  return {
    add,
    find: (accessKeyId) => {
      const key = keys.get(accessKeyId);
      return key === undefined ? undefined : { ...key };
    },
    list: () => [...keys.values()].map(({ accessKeySecret: _secret, ...key }) => key),
    reset() {
      keys.clear();
      for (const key of seeded) keys.set(key.accessKeyId, { ...key });
    },
  };
}
