import { evaluateScope, type ScopeSubject } from './evaluate-scope.ts';
import type { Scope } from './scope-rule.ts';

export interface ScopeDiff {
  /** Users in scope under the new scope only: they would be provisioned. */
  readonly entering: readonly string[];
  /** Users in scope under the old scope only: they would be deprovisioned. */
  readonly leaving: readonly string[];
}

/**
 * Who enters and who leaves when a scope changes, shown before it is saved. Users are identified
 * by their document's `id`; the order of `subjects` is kept.
 */
export function diffScope(oldScope: Scope, newScope: Scope, subjects: Iterable<ScopeSubject>): ScopeDiff {
  const entering: string[] = [];
  const leaving: string[] = [];
  for (const subject of subjects) {
    const before = evaluateScope(oldScope, subject).inScope;
    const after = evaluateScope(newScope, subject).inScope;
    if (before === after) continue;
    const id = String(subject.user.id);
    (after ? entering : leaving).push(id);
  }
  return { entering, leaving };
}
