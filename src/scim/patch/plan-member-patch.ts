import { badRequest } from '../errors.ts';
import type { Filter } from '../filter/filter-ast.ts';
import { resolveElementFilter } from '../filter/resolve-filter.ts';
import { canonicalizeMemberRefs, getMembersDefinition } from '../resource/canonicalize-member-refs.ts';
import { isJsonObject } from '../resource/json-value.ts';
import { getResourceType, resolveAttribute } from '../schema/schema-registry.ts';
import type { MemberChange, PatchOperation } from './patch-operation.ts';

export interface MemberPatchPlan {
  /** Membership changes, in operation order, for the members table. */
  readonly memberChanges: MemberChange[];
  /** Every other operation, in order, for `applyPatchOperations` on the Group document. */
  readonly otherOps: PatchOperation[];
}

/**
 * Splits a Group PATCH into membership changes and the rest, so that a one-member change never
 * loads or rewrites the member list. Every operation that targets `members` becomes a MemberChange:
 * - `add` `members` (array or single value) → `add`;
 * - `remove` `members` with a value (Entra's default: `"value":[{"value":"<id>"}]`) → `remove`;
 * - `remove` `members[value eq "<id>"]` (Entra with `aadOptscim062020`, Okta, RFC 7644 §3.5.2.2),
 *   also `or`-ed ids → `remove`; any other filter → `removeWhere` (resolved element filter);
 * - `remove` `members` without value → `removeAll`; `replace` `members` → `replaceAll`;
 * - pathless `add` / `replace` whose value has `members` → `add` / `replaceAll`, the value's other
 *   attributes staying in an operation of `otherOps`.
 * Member sub-attributes are immutable (`value`, `type`, `$ref`) or readOnly (`display`), so an
 * operation on `members.x` or on filtered members with a value is 400 mutability.
 * Member ids of `remove` are compared exactly, as the members table stores them.
 * @see RFC 7644 §3.5.2.1–3, RFC 7643 §4.2
 */
export function planMemberPatch(ops: readonly PatchOperation[]): MemberPatchPlan {
  const memberChanges: MemberChange[] = [];
  const otherOps: PatchOperation[] = [];
  for (const operation of ops) {
    if (operation.path === undefined) {
      planPathless(operation, memberChanges, otherOps);
      continue;
    }
    const resolved = resolveAttribute(getResourceType('Group'), operation.path.attribute);
    if (resolved?.definition !== getMembersDefinition()) {
      otherOps.push(operation);
      continue;
    }
    if (resolved.subDefinition !== undefined || operation.path.subAttribute !== undefined) {
      throw immutableMembers();
    }
    const change = planMembersOperation(operation, operation.path.filter);
    if (change !== undefined) memberChanges.push(change);
  }
  return { memberChanges, otherOps };
}

function planMembersOperation(
  operation: PatchOperation,
  filter: Filter | undefined,
): MemberChange | undefined {
  const { op, value } = operation;
  if (filter !== undefined) {
    if (op !== 'remove') throw immutableMembers();
    const resolved = resolveElementFilter(filter, getMembersDefinition());
    const values = memberIdsOf(resolved);
    return values === undefined ? { kind: 'removeWhere', filter: resolved } : { kind: 'remove', values };
  }
  switch (op) {
    case 'add': {
      const members = canonicalizeMemberRefs(asArray(value));
      return members.length > 0 ? { kind: 'add', members } : undefined;
    }
    case 'replace':
      return { kind: 'replaceAll', members: canonicalizeMemberRefs(asArray(value)) };
    case 'remove':
      if (value === undefined || value === null) return { kind: 'removeAll' };
      return { kind: 'remove', values: canonicalizeMemberRefs(asArray(value)).map((member) => member.value) };
  }
}

function planPathless(
  operation: PatchOperation,
  memberChanges: MemberChange[],
  otherOps: PatchOperation[],
): void {
  const { op, value } = operation;
  if (op === 'remove' || !isJsonObject(value)) {
    otherOps.push(operation);
    return;
  }
  const group = getResourceType('Group');
  const rest: Record<string, unknown> = {};
  let found = false;
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolveAttribute(group, { name: key });
    if (resolved?.definition !== getMembersDefinition() || resolved.subDefinition !== undefined) {
      rest[key] = item;
      continue;
    }
    found = true;
    const change = planMembersOperation({ op, value: item }, undefined);
    if (change !== undefined) memberChanges.push(change);
  }
  if (!found) otherOps.push(operation);
  else if (Object.keys(rest).length > 0) otherOps.push({ op, value: rest });
}

/** The member ids of `value eq "<id>"`, or of such terms joined by `or`; undefined otherwise. */
function memberIdsOf(filter: Filter): string[] | undefined {
  if (filter.kind === 'compare') {
    const isIdEquality = filter.op === 'eq' && filter.path.name === 'value' && filter.path.sub === undefined;
    return isIdEquality && typeof filter.value === 'string' ? [filter.value] : undefined;
  }
  if (filter.kind !== 'or') return undefined;
  const left = memberIdsOf(filter.left);
  const right = memberIdsOf(filter.right);
  return left === undefined || right === undefined ? undefined : [...left, ...right];
}

/** RFC 7644 §3.5.2.1: the value of an add to a multi-valued attribute may be one value or several. */
function asArray(value: unknown): unknown {
  return value === undefined || value === null || Array.isArray(value) ? (value ?? null) : [value];
}

function immutableMembers() {
  return badRequest(
    'mutability',
    'A member cannot be changed in place: "members" sub-attributes are immutable (value, type, $ref) or readOnly (display); remove the member and add it again',
  );
}
