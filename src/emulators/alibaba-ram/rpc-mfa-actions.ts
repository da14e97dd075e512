import { RamRpcError } from './ram-rpc-error.ts';
import { type RpcAction, refuse, unwrap } from './rpc-action-context.ts';

/** Any six digits: the emulator does not run TOTP, it checks the codes' shape. */
const AUTHENTICATION_CODE = /^\d{6}$/;

/**
 * Virtual MFA devices: created for the account (CreateVirtualMFADevice), bound to a user with two
 * consecutive codes (BindMFADevice), unbound (UnbindMFADevice) and deleted once unbound
 * (DeleteVirtualMFADevice). A bound device blocks DeleteUser with DeleteConflict.User.MFADevice.
 * Codes for devices that do not exist or are in use are *unverified*.
 */
export const RPC_MFA_ACTIONS: Record<string, RpcAction> = {
  CreateVirtualMFADevice({ state, params }) {
    const name = params.required('VirtualMFADeviceName');
    if (!/^[\w.@-]{1,64}$/.test(name)) {
      throw new RamRpcError(
        400,
        'InvalidParameter.VirtualMFADeviceName',
        'The VirtualMFADeviceName is invalid.',
      );
    }
    const device = state.catalog.createMfaDevice(name);
    if (device === undefined) {
      throw new RamRpcError(
        409,
        'EntityAlreadyExists.VirtualMFADevice',
        'The virtual MFA device does already exist.',
      );
    }
    const uri = `otpauth://totp/${encodeURIComponent(name)}@${state.directory.defaultDomain}?secret=${device.base32StringSeed}`;
    return {
      VirtualMFADevice: {
        SerialNumber: device.serialNumber,
        Base32StringSeed: device.base32StringSeed,
        QRCodePNG: Buffer.from(uri).toString('base64'),
      },
    };
  },

  ListVirtualMFADevices({ state }) {
    const devices = state.catalog.listMfaDevices().map((device) => {
      const user = device.boundUserId === undefined ? undefined : state.directory.getUser(device.boundUserId);
      return {
        SerialNumber: device.serialNumber,
        ...(device.activateDate !== undefined ? { ActivateDate: device.activateDate } : {}),
        ...(user !== undefined
          ? { User: { UserId: user.id, UserName: user.userName, DisplayName: user.displayName } }
          : {}),
      };
    });
    return { VirtualMFADevices: { VirtualMFADevice: devices } };
  },

  BindMFADevice({ state, params, requireUser, now }) {
    const user = requireUser();
    const serialNumber = params.required('SerialNumber');
    for (const name of ['AuthenticationCode1', 'AuthenticationCode2']) {
      if (!AUTHENTICATION_CODE.test(params.required(name))) {
        throw new RamRpcError(400, 'InvalidParameter.AuthenticationCode', `${name} must be six digits.`);
      }
    }
    const device = state.catalog.findMfaDevice(serialNumber);
    if (device === undefined) throw mfaDeviceNotFound();
    if (device.boundUserId !== undefined && device.boundUserId !== user.id) {
      throw new RamRpcError(
        409,
        'EntityAlreadyExists.VirtualMFADevice.User',
        'The virtual MFA device is bound to another user.',
      );
    }
    const activateDate = now();
    unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        if (dependents.mfaDevice !== null) {
          return refuse(409, 'EntityAlreadyExists.User.MFADevice', 'The user already has an MFA device.');
        }
        dependents.mfaDevice = { serialNumber, type: 'VMFA', activateDate };
        return { ok: true, value: undefined };
      }),
      user.userName,
    );
    state.catalog.setMfaBinding(serialNumber, { userId: user.id, activateDate });
    return {};
  },

  UnbindMFADevice({ state, requireUser }) {
    const user = requireUser();
    const device = unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        const bound = dependents.mfaDevice;
        if (bound === null) {
          return refuse(404, 'EntityNotExist.User.MFADevice', 'The MFA device of the user does not exist.');
        }
        dependents.mfaDevice = null;
        return { ok: true, value: bound };
      }),
      user.userName,
    );
    state.catalog.setMfaBinding(device.serialNumber, null);
    return { MFADevice: { SerialNumber: device.serialNumber } };
  },

  DeleteVirtualMFADevice({ state, params }) {
    const device = state.catalog.findMfaDevice(params.required('SerialNumber'));
    if (device === undefined) throw mfaDeviceNotFound();
    if (device.boundUserId !== undefined) {
      throw new RamRpcError(
        409,
        'DeleteConflict.VirtualMFADevice.User',
        'The virtual MFA device is bound to a user; unbind it first.',
      );
    }
    state.catalog.deleteMfaDevice(device.serialNumber);
    return {};
  },

  GetUserMFAInfo({ requireUser }) {
    const device = requireUser().dependents.mfaDevice;
    if (device === null) {
      throw new RamRpcError(
        404,
        'EntityNotExist.User.MFADevice',
        'The MFA device of the user does not exist.',
      );
    }
    return { MFADevice: { SerialNumber: device.serialNumber, Type: device.type } };
  },
};

function mfaDeviceNotFound(): RamRpcError {
  return new RamRpcError(404, 'EntityNotExist.VirtualMFADevice', 'The virtual MFA device does not exist.');
}
