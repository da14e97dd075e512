import type { TargetValue } from './evaluate-attribute-mapping.ts';

/** Mapped values by canonical target path (`userName`, `emails[type eq "work"].value`, …). */
export type MappedAttributes = Readonly<Record<string, TargetValue>>;

export interface AttributeChange {
  readonly target: string;
  readonly oldValue: TargetValue;
  readonly newValue: TargetValue;
}

/**
 * The target attributes whose mapped value changed, old → new, in `after`'s order: what an update
 * sends when only changed attributes are sent, and the "modified properties" of the provisioning
 * log. Only targets in `after` count: a target missing there was not applied this time (an
 * on-create mapping during an update), which is no change. A target new in `after` changes from
 * null. Values compare exactly (lists in order); `before` undefined means nothing was sent yet.
 */
export function diffMappedAttributes(
  before: MappedAttributes | undefined,
  after: MappedAttributes,
): readonly AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const [target, newValue] of Object.entries(after)) {
    const oldValue = before !== undefined && Object.hasOwn(before, target) ? (before[target] ?? null) : null;
    if (!sameValue(oldValue, newValue)) changes.push({ target, oldValue, newValue });
  }
  return changes;
}

function sameValue(a: TargetValue, b: TargetValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
  }
  return Object.is(a, b);
}
