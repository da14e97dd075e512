import { createRamNativeAccountApi } from '../../targets/alibaba-ram/ram-native-account-api.ts';
import { createRamOpenapiClient } from '../../targets/alibaba-ram/ram-openapi-client.ts';
import type { TargetService } from '../targets/target-service.ts';
import type { NativeAccountApi } from './native-account-api.ts';

/** The native API of a target for deprovisioning, built from its sealed settings; undefined when it has none. */
export async function openNativeAccountApi(
  targets: TargetService,
  targetId: string,
): Promise<NativeAccountApi | undefined> {
  const native = await targets.openNative(targetId);
  if (native?.api === 'alibaba-ram-openapi')
    return createRamNativeAccountApi(createRamOpenapiClient(native.config));
  return undefined;
}
