import { formatRamInstant } from './emulator-clock.ts';
import { generateAlphanumeric, generateDigits } from './ram-identifiers.ts';

/**
 * What a RAM account holds besides users: groups, policies (RAM's system policies and the account's
 * own) and virtual MFA devices. Memberships, attachments and bindings live on the user
 * (`RamUserDependents`); this catalog says which names exist and which device is bound to whom.
 */
export interface RamGroup {
  groupId: string;
  groupName: string;
  comments: string;
  createDate: string;
}

export interface RamPolicy {
  policyName: string;
  policyType: 'System' | 'Custom';
  description: string;
  defaultVersion: string;
  createDate: string;
}

export interface RamVirtualMfaDevice {
  /** `acs:ram::<accountId>:mfa/<VirtualMFADeviceName>`. */
  serialNumber: string;
  base32StringSeed: string;
  createDate: string;
  /** The RAM user id it is bound to, if any. */
  boundUserId?: string;
  activateDate?: string;
}

/** A few of RAM's system policies; attaching an unknown system policy is EntityNotExist.Policy. */
export const SYSTEM_POLICY_NAMES = [
  'AdministratorAccess',
  'ReadOnlyAccess',
  'AliyunRAMFullAccess',
  'AliyunRAMReadOnlyAccess',
  'AliyunOSSFullAccess',
  'AliyunOSSReadOnlyAccess',
  'AliyunECSFullAccess',
  'AliyunECSReadOnlyAccess',
] as const;

export interface RamAccountCatalog {
  findGroup(groupName: string): RamGroup | undefined;
  /** Undefined when the name is taken. */
  createGroup(groupName: string, comments?: string): RamGroup | undefined;
  /** Creates it when absent (seeding). */
  ensureGroup(groupName: string): RamGroup;
  listGroups(): RamGroup[];
  findPolicy(policyName: string, policyType: 'System' | 'Custom'): RamPolicy | undefined;
  createPolicy(policyName: string, description?: string): RamPolicy | undefined;
  ensurePolicy(policyName: string, policyType: 'System' | 'Custom'): RamPolicy;
  listPolicies(policyType?: 'System' | 'Custom'): RamPolicy[];
  findMfaDevice(serialNumber: string): RamVirtualMfaDevice | undefined;
  createMfaDevice(deviceName: string): RamVirtualMfaDevice | undefined;
  /** Marks the device bound (creating it when absent: seeding) or unbound. */
  setMfaBinding(serialNumber: string, binding: { userId: string; activateDate: string } | null): void;
  deleteMfaDevice(serialNumber: string): void;
  listMfaDevices(): RamVirtualMfaDevice[];
  reset(): void;
}

export function createRamAccountCatalog(accountId: string, now: () => number): RamAccountCatalog {
  const groups = new Map<string, RamGroup>();
  const policies = new Map<string, RamPolicy>();
  const devices = new Map<string, RamVirtualMfaDevice>();
  // Group and policy names are case-insensitive in RAM (*unverified* for policies).
  const fold = (name: string) => name.toLowerCase();
  const policyKey = (name: string, type: string) => `${type}:${fold(name)}`;
  const addSystemPolicies = () => {
    for (const policyName of SYSTEM_POLICY_NAMES) addPolicy(policyName, 'System', '');
  };
  const addPolicy = (policyName: string, policyType: 'System' | 'Custom', description: string) => {
    const policy = {
      policyName,
      policyType,
      description,
      defaultVersion: 'v1',
      createDate: formatRamInstant(now()),
    };
    policies.set(policyKey(policyName, policyType), policy);
    return policy;
  };
  const addGroup = (groupName: string, comments: string) => {
    const group = { groupId: generateDigits(16), groupName, comments, createDate: formatRamInstant(now()) };
    groups.set(fold(groupName), group);
    return group;
  };
  addSystemPolicies();

  return {
    findGroup: (groupName) => copy(groups.get(fold(groupName))),
    createGroup: (groupName, comments = '') =>
      groups.has(fold(groupName)) ? undefined : { ...addGroup(groupName, comments) },
    ensureGroup: (groupName) => ({ ...(groups.get(fold(groupName)) ?? addGroup(groupName, '')) }),
    listGroups: () => [...groups.values()].map((group) => ({ ...group })),
    findPolicy: (policyName, policyType) => copy(policies.get(policyKey(policyName, policyType))),
    createPolicy: (policyName, description = '') =>
      policies.has(policyKey(policyName, 'Custom'))
        ? undefined
        : { ...addPolicy(policyName, 'Custom', description) },
    ensurePolicy: (policyName, policyType) => ({
      ...(policies.get(policyKey(policyName, policyType)) ?? addPolicy(policyName, policyType, '')),
    }),
    listPolicies: (policyType) =>
      [...policies.values()]
        .filter((policy) => policyType === undefined || policy.policyType === policyType)
        .map((policy) => ({ ...policy })),
    findMfaDevice: (serialNumber) => copy(devices.get(serialNumber)),
    createMfaDevice(deviceName) {
      const serialNumber = `acs:ram::${accountId}:mfa/${deviceName}`;
      if (devices.has(serialNumber)) return undefined;
      const device = {
        serialNumber,
        base32StringSeed: generateBase32Seed(),
        createDate: formatRamInstant(now()),
      };
      devices.set(serialNumber, device);
      return { ...device };
    },
    setMfaBinding(serialNumber, binding) {
      let device = devices.get(serialNumber);
      if (device === undefined) {
        device = {
          serialNumber,
          base32StringSeed: generateBase32Seed(),
          createDate: formatRamInstant(now()),
        };
        devices.set(serialNumber, device);
      }
      if (binding === null) {
        delete device.boundUserId;
        delete device.activateDate;
      } else {
        device.boundUserId = binding.userId;
        device.activateDate = binding.activateDate;
      }
    },
    deleteMfaDevice(serialNumber) {
      devices.delete(serialNumber);
    },
    listMfaDevices: () => [...devices.values()].map((device) => ({ ...device })),
    reset() {
      groups.clear();
      policies.clear();
      devices.clear();
      addSystemPolicies();
    },
  };
}

function copy<T extends object>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : { ...value };
}

/** A TOTP seed as RAM shows it: 64 base32 characters. */
function generateBase32Seed(): string {
  return generateAlphanumeric(64)
    .toUpperCase()
    .replace(/[^A-Z2-7]/g, 'A');
}
