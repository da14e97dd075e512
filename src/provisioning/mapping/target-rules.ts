import { elementFromFilter } from '../../scim/patch/multi-valued-elements.ts';
import type {
  ScimResourceTypeName,
  TargetCapabilities,
  TargetProfile,
  TargetProfileName,
} from '../../targets/profiles/target-profile.ts';
import type { ResolvedScimPath } from './resolve-scim-path.ts';

/**
 * Which target attributes a mapping may write, per profile and resource type. Limits that the
 * profiles already encode (`userAttributes`, `hasActive`, `maxEmails`) are read from the
 * capabilities; the few below are not in `TargetProfile` yet.
 */

/** User attributes a target refuses although its profile says `userAttributes: 'any'`. */
const UNSUPPORTED_USER_ATTRIBUTES: Readonly<Partial<Record<TargetProfileName, readonly string[]>>> = {
  /** REFERENCE.md §8: "Not supported: password, ims, photos, entitlements, x509Certificates". */
  'aws-identity-center': ['ims', 'photos', 'entitlements', 'x509Certificates'],
};

/** Targets every account must have a value for (canonical paths). */
const REQUIRED_TARGETS: Readonly<Record<ScimResourceTypeName, readonly string[]>> = {
  /** RFC 7643 §4.1.1: "Each User MUST include a non-empty userName value". */
  User: ['userName'],
  /** RFC 7643 §4.2: displayName is REQUIRED. */
  Group: ['displayName'],
};

/** AWS IAM Identity Center refuses a user without these (its SCIM guide; `name` is required there). */
const PROFILE_REQUIRED_USER_TARGETS: Readonly<Partial<Record<TargetProfileName, readonly string[]>>> = {
  'aws-identity-center': ['userName', 'displayName', 'name.givenName', 'name.familyName'],
};

/** What a group mapping may write; `members` comes from links. */
const GROUP_TARGETS = ['displayName', 'externalId'];

export function requiredTargets(
  profile: TargetProfile,
  resourceType: ScimResourceTypeName,
): readonly string[] {
  if (resourceType === 'Group') return REQUIRED_TARGETS.Group;
  return PROFILE_REQUIRED_USER_TARGETS[profile.name] ?? REQUIRED_TARGETS.User;
}

/** Why the target may not be written by a mapping on this target, or undefined when it may. */
export function rejectTarget(
  path: ResolvedScimPath,
  resourceType: ScimResourceTypeName,
  profile: TargetProfile,
  capabilities: TargetCapabilities,
): string | undefined {
  const name = path.attribute.name;
  if (resourceType === 'Group') {
    if (name === 'members') return 'members is written by the engine from the group links, not by a mapping';
    if (!path.core || !GROUP_TARGETS.includes(name) || path.sub !== undefined) {
      return `a group mapping writes only ${GROUP_TARGETS.join(' and ')}`;
    }
    return undefined;
  }
  if (path.attribute.mutability === 'readOnly' || path.sub?.mutability === 'readOnly') {
    return `${path.canonical} is read-only: the target assigns it`;
  }
  if (path.attribute.mutability === 'writeOnly') return `Lockstep does not provision ${name}`;
  if (name === 'active' && !capabilities.hasActive) {
    return `${profile.title} has no active state: revocation there is deletion`;
  }
  const allowed = capabilities.userAttributes;
  if (allowed !== 'any' && !(path.core && allowed.some((a) => a.toLowerCase() === name.toLowerCase()))) {
    return `${profile.title} stores only ${allowed.join(', ')}`;
  }
  if (UNSUPPORTED_USER_ATTRIBUTES[profile.name]?.includes(name) === true) {
    return `${profile.title} does not support ${name}`;
  }
  if (name === 'emails' && capabilities.maxEmails === 0) return `${profile.title} stores no e-mail address`;
  return rejectTargetShape(path);
}

function rejectTargetShape(path: ResolvedScimPath): string | undefined {
  const { attribute } = path;
  if (attribute.type === 'complex' && path.sub === undefined && !attribute.multiValued) {
    return `${path.canonical} is complex: name a sub-attribute, such as ${path.canonical}.${attribute.subAttributes?.[0]?.name ?? 'value'}`;
  }
  if (path.filter !== undefined) {
    if (path.sub === undefined) {
      return `name the sub-attribute to write after the filter, such as ${path.canonical}.value`;
    }
    if (elementFromFilter(path.filter) === undefined) {
      return 'a target value filter must be eq comparisons joined by "and" (e.g. type eq "work"), so that the element to write is known';
    }
  }
  if (attribute.multiValued && attribute.type === 'complex' && path.filter === undefined) {
    const sub = path.sub?.name ?? 'value';
    if (sub !== 'value') {
      return `name the element to write with a filter, such as ${attribute.name}[type eq "work"].${sub}`;
    }
  }
  return undefined;
}

/** The element a filtered target writes into (`emails[type eq "work"].value` → `{ type: "work" }`). */
export function elementTemplate(path: ResolvedScimPath): Readonly<Record<string, unknown>> | undefined {
  return path.filter === undefined ? undefined : elementFromFilter(path.filter);
}

/** Whether the target takes several values: a multi-valued attribute written without a filter. */
export function isMultiValuedTarget(path: ResolvedScimPath): boolean {
  return path.attribute.multiValued && path.filter === undefined;
}
