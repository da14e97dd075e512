import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../../scim/schema/schema-urns.ts';
import type { Projection } from '../engine/compiled-provisioning.ts';
import { referenceAttributesOf, referencedIds, translateReferences } from './translate-references.ts';

const MANAGER = `${ENTERPRISE_USER_SCHEMA}:manager.value`;

const projected = (extension: Record<string, unknown>): Projection => ({
  ok: true,
  document: {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    userName: 'ada',
    [ENTERPRISE_USER_SCHEMA]: extension,
  },
  attributes: {
    userName: 'ada',
    [`${ENTERPRISE_USER_SCHEMA}:department`]: extension.department ?? null,
    [MANAGER]: (extension.manager as { value?: string } | undefined)?.value ?? null,
  },
});

describe('translateReferences', () => {
  it('finds the manager among mapped targets, however it is cased', () => {
    assert.deepEqual(referenceAttributesOf(['userName', MANAGER.toUpperCase(), 'title']), [
      MANAGER.toUpperCase(),
    ]);
    assert.deepEqual(referenceAttributesOf(['userName', 'externalId']), []);
  });

  it("puts the manager's account id on the target where the directory id was", () => {
    const projection = projected({ department: 'R&D', manager: { value: 'dir-boss' } });
    assert.deepEqual(referencedIds(projection, [MANAGER]), [
      { attribute: MANAGER, referencedId: 'dir-boss' },
    ]);
    const translated = translateReferences(projection, [MANAGER], new Map([['dir-boss', 'acct-42']]));
    assert.ok(translated.ok);
    assert.deepEqual(translated.document[ENTERPRISE_USER_SCHEMA], {
      department: 'R&D',
      manager: { value: 'acct-42' },
    });
    assert.equal(translated.attributes[MANAGER], 'acct-42');
    assert.ok(
      projection.ok &&
        (projection.document[ENTERPRISE_USER_SCHEMA] as { manager: { value: string } }).manager.value ===
          'dir-boss',
      'the projection is not changed',
    );
  });

  it('leaves out a manager without an account, and the extension when nothing else is in it', () => {
    const alone = translateReferences(
      projected({ manager: { value: 'dir-boss' } }),
      [MANAGER],
      new Map([['dir-boss', null]]),
    );
    assert.ok(alone.ok);
    assert.deepEqual(alone.document, { schemas: [USER_SCHEMA], userName: 'ada' });
    assert.equal(alone.attributes[MANAGER], null, 'null: an update sends it once it exists');
    const withDepartment = translateReferences(
      projected({ department: 'R&D', manager: { value: 'dir-boss' } }),
      [MANAGER],
      new Map(),
    );
    assert.ok(withDepartment.ok);
    assert.deepEqual(withDepartment.document[ENTERPRISE_USER_SCHEMA], { department: 'R&D' });
  });

  it('changes nothing without a manager, or for a failed projection', () => {
    const none = projected({ department: 'R&D' });
    assert.deepEqual(translateReferences(none, [MANAGER], new Map()), none);
    const failed: Projection = { ok: false, message: 'no userName' };
    assert.equal(translateReferences(failed, [MANAGER], new Map()), failed);
  });
});
