import { evaluateElementFilter } from '../filter/evaluate-filter.ts';
import { getMembersDefinition } from '../resource/canonicalize-member-refs.ts';
import type { MemberRef } from '../resource/scim-document.ts';
import type { MemberChange } from './patch-operation.ts';

/**
 * The reference semantics of MemberChanges over an in-memory member list: what a members table
 * must do, for the in-memory store and as the oracle of repository tests. Returns a new list; an
 * `add` of an id already present changes nothing (RFC 7644 §3.5.2.1), and `removeWhere` evaluates
 * the filter on `{ value, type }` (a derived `display` is not stored, so it never matches).
 */
export function applyMemberChanges(
  members: readonly MemberRef[],
  changes: readonly MemberChange[],
): MemberRef[] {
  let current = [...members];
  for (const change of changes) {
    switch (change.kind) {
      case 'add':
        current = appendNew(current, change.members);
        break;
      case 'remove': {
        const removed = new Set(change.values);
        current = current.filter((member) => !removed.has(member.value));
        break;
      }
      case 'removeWhere': {
        const definition = getMembersDefinition();
        current = current.filter(
          (member) => !evaluateElementFilter(change.filter, { ...member }, definition),
        );
        break;
      }
      case 'removeAll':
        current = [];
        break;
      case 'replaceAll':
        current = appendNew([], change.members);
        break;
    }
  }
  return current;
}

function appendNew(current: MemberRef[], additions: readonly MemberRef[]): MemberRef[] {
  const present = new Set(current.map((member) => member.value));
  const result = [...current];
  for (const member of additions) {
    if (present.has(member.value)) continue;
    present.add(member.value);
    result.push(member);
  }
  return result;
}
