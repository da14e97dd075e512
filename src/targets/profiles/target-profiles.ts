import { ALIBABA_RAM_PROFILE } from './alibaba-ram-profile.ts';
import { AWS_IDENTITY_CENTER_PROFILE } from './aws-identity-center-profile.ts';
import { GENERIC_SCIM_PROFILE } from './generic-scim-profile.ts';
import { LOCKSTEP_PROFILE } from './lockstep-profile.ts';
import type { TargetProfile, TargetProfileName } from './target-profile.ts';

/** Every profile by name; a new kind of target adds its file and one line here. */
export const TARGET_PROFILES: Readonly<Record<TargetProfileName, TargetProfile>> = Object.freeze({
  'generic-scim': GENERIC_SCIM_PROFILE,
  lockstep: LOCKSTEP_PROFILE,
  'alibaba-ram': ALIBABA_RAM_PROFILE,
  'aws-identity-center': AWS_IDENTITY_CENTER_PROFILE,
});

export const TARGET_PROFILE_NAMES = Object.freeze(Object.keys(TARGET_PROFILES) as TargetProfileName[]);

export function findTargetProfile(name: string): TargetProfile | undefined {
  return Object.hasOwn(TARGET_PROFILES, name) ? TARGET_PROFILES[name as TargetProfileName] : undefined;
}
