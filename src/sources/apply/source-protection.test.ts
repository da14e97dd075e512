import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDeletionThresholds, SourceProtectionSchema } from './source-protection.ts';

describe('checkDeletionThresholds', () => {
  const protection = SourceProtectionSchema.parse({ groups: { maxCount: 2 } });

  it('passes a run within every threshold', () => {
    assert.equal(checkDeletionThresholds(protection, [{ type: 'User', deletes: 9, owned: 20 }]), undefined);
    assert.equal(checkDeletionThresholds(protection, [{ type: 'Group', deletes: 2, owned: 2 }]), undefined);
  });

  it('refuses by count and by percentage, naming the setting', () => {
    const byCount = checkDeletionThresholds(protection, [{ type: 'Group', deletes: 3, owned: 100 }]);
    assert.match(
      byCount ?? '',
      /delete 3 groups, more than the threshold of 2.*protection\.groups\.maxCount/,
    );
    const byPercent = checkDeletionThresholds(protection, [{ type: 'User', deletes: 10, owned: 50 }]);
    assert.match(byPercent ?? '', /10 of 50 users \(20\.0%\).*maxPercent/);
  });

  it('turns a threshold off with null', () => {
    const off = SourceProtectionSchema.parse({ users: { maxCount: null, maxPercent: null } });
    assert.equal(checkDeletionThresholds(off, [{ type: 'User', deletes: 10_000, owned: 10_000 }]), undefined);
  });
});
