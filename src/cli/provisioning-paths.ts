import { segment } from './admin-command.ts';

/** Admin API paths of targets, provisionings and runs (relative to /api). */
export function targetPath(tenant: string, target?: string): string {
  return `/tenants/${segment(tenant)}/targets${target === undefined ? '' : `/${segment(target)}`}`;
}

export function provisioningPath(tenant: string, provisioning?: string): string {
  return `/tenants/${segment(tenant)}/provisionings${provisioning === undefined ? '' : `/${segment(provisioning)}`}`;
}

export function runPath(tenant: string, run: string): string {
  return `/tenants/${segment(tenant)}/runs/${segment(run)}`;
}
