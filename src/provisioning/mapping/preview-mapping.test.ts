import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTERPRISE_USER } from '../../../test/support/rfc-7643-users.ts';
import { TARGET_PROFILES } from '../../targets/profiles/target-profiles.ts';
import { previewMapping } from './preview-mapping.ts';

const context = {
  profile: TARGET_PROFILES['generic-scim'],
  resourceType: 'User' as const,
  operation: 'create' as const,
};

describe('previewMapping', () => {
  it('shows source values, results and the document', () => {
    const preview = previewMapping(
      [
        { target: 'userName', source: { kind: 'attribute', path: 'userName' } },
        { target: 'displayName', source: { kind: 'expression', text: 'Join(" ", [givenName], [surname])' } },
        { target: 'nickName', source: { kind: 'attribute', path: 'nickName' }, defaultValue: 'none' },
      ],
      context,
      { ...ENTERPRISE_USER, nickName: undefined },
    );
    assert.deepEqual(preview.errors, []);
    assert.deepEqual(preview.entries[1]?.sourceValues, { givenName: 'Barbara', surname: 'Jensen' });
    assert.equal(preview.entries[1]?.value, 'Barbara Jensen');
    assert.equal(preview.entries[2]?.usedDefault, true);
    assert.equal(preview.entries[2]?.value, 'none');
    assert.equal(preview.document?.displayName, 'Barbara Jensen');
  });

  it('shows each broken mapping with its position while the others still run', () => {
    const preview = previewMapping(
      [
        { target: 'userName', source: { kind: 'attribute', path: 'userName' } },
        { target: 'displayName', source: { kind: 'expression', text: 'ToUpper([givenName], ' } },
        { target: 'title', source: { kind: 'expression', text: 'ToUpper([title])' } },
      ],
      context,
      ENTERPRISE_USER,
    );
    assert.equal(preview.document, undefined);
    assert.equal(preview.entries[1]?.applied, false);
    assert.equal(preview.entries[1]?.errors[0]?.position, 21);
    assert.equal(preview.entries[2]?.value, 'TOUR GUIDE');
  });

  it('marks on-create mappings as not applied on update, and lists list-level errors', () => {
    const preview = previewMapping(
      [{ target: 'title', source: { kind: 'constant', value: 'x' }, apply: 'on-create' }],
      { ...context, operation: 'update' },
      ENTERPRISE_USER,
    );
    assert.equal(preview.entries[0]?.applied, false);
    assert.match(preview.errors[0]?.message ?? '', /needs a mapping for userName/);
  });

  it('reports a required value the user lacks on its entry', () => {
    const preview = previewMapping(
      [{ target: 'userName', source: { kind: 'attribute', path: 'nickName' } }],
      context,
      { id: 'x' },
    );
    assert.equal(preview.document, undefined);
    assert.match(preview.entries[0]?.errors[0]?.message ?? '', /required/);
  });
});
