import { z } from 'zod';
import {
  RAM_FULL_ACCESS_ACTIONS,
  RAM_READ_ONLY_ACTIONS,
  RamActionPatternSchema,
} from './ram-action-permissions.ts';
import { generateAccessKeyId, generateAlphanumeric } from './ram-identifiers.ts';

/**
 * The AccessKeys that may call the emulator's RPC API: the keys of whoever runs Lockstep, not of the
 * RAM users the API manages. What a key may do is a list of RAM policy actions
 * (`ram-action-permissions.ts`): `permission: 'full'` is `ram:*` (AliyunRAMFullAccess), `readOnly`
 * is `ram:Get*` + `ram:List*` (AliyunRAMReadOnlyAccess), and `actions` gives any other list, e.g.
 * `["ram:Get*", "ram:List*", "ram:DeleteUser"]`. A call outside the list answers `NoPermission`.
 */
export const RpcCallerKeySchema = z
  .strictObject({
    accessKeyId: z.string().min(1).optional(),
    accessKeySecret: z.string().min(1).optional(),
    permission: z.enum(['full', 'readOnly']).optional(),
    actions: z.array(RamActionPatternSchema).optional(),
  })
  .refine((key) => key.permission === undefined || key.actions === undefined, {
    message: 'give either permission or actions, not both',
  });

export type RpcCallerKeyInput = z.input<typeof RpcCallerKeySchema>;
/** `custom` for a key given by its `actions`. */
export type RpcPermission = 'full' | 'readOnly' | 'custom';

export interface RpcCallerKey {
  accessKeyId: string;
  accessKeySecret: string;
  permission: RpcPermission;
  /** The RAM policy actions the key is allowed. */
  actions: string[];
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
  const copy = (key: RpcCallerKey): RpcCallerKey => ({ ...key, actions: [...key.actions] });
  const add = (input: RpcCallerKeyInput): RpcCallerKey => {
    const parsed = RpcCallerKeySchema.parse(input);
    const permission: RpcPermission = parsed.actions !== undefined ? 'custom' : (parsed.permission ?? 'full');
    const key: RpcCallerKey = {
      accessKeyId: parsed.accessKeyId ?? generateAccessKeyId(),
      accessKeySecret: parsed.accessKeySecret ?? generateAlphanumeric(30),
      permission,
      actions: [
        ...(parsed.actions ?? (permission === 'readOnly' ? RAM_READ_ONLY_ACTIONS : RAM_FULL_ACCESS_ACTIONS)),
      ],
    };
    if (keys.has(key.accessKeyId)) throw new RangeError(`AccessKey ${key.accessKeyId} is already configured`);
    keys.set(key.accessKeyId, key);
    return copy(key);
  };
  const seeded = initial.map((input) => add(input));
  return {
    add,
    find: (accessKeyId) => {
      const key = keys.get(accessKeyId);
      return key === undefined ? undefined : copy(key);
    },
    list: () =>
      [...keys.values()].map(({ accessKeySecret: _secret, ...key }) => ({
        ...key,
        actions: [...key.actions],
      })),
    reset() {
      keys.clear();
      for (const key of seeded) keys.set(key.accessKeyId, copy(key));
    },
  };
}
