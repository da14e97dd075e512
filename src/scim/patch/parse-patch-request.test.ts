import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError, type ScimType } from '../errors.ts';
import { PATCH_OP_SCHEMA } from '../schema/schema-urns.ts';
import { parsePatchRequest } from './parse-patch-request.ts';

function assertScimError(fn: () => unknown, scimType: ScimType, detail?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, scimType, error.message);
    if (detail !== undefined) assert.match(error.message, detail);
    return true;
  });
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

describe('parsePatchRequest', () => {
  it('returns the operations in order with parsed paths', () => {
    const operations = parsePatchRequest(
      patch(
        { op: 'add', path: 'members', value: [{ value: 'u1' }] },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@b.c' },
        { op: 'remove', path: 'name.familyName' },
        { op: 'replace', value: { active: false } },
      ),
    );
    assert.deepEqual(operations, [
      { op: 'add', path: { attribute: { name: 'members' } }, value: [{ value: 'u1' }] },
      {
        op: 'replace',
        path: {
          attribute: { name: 'emails' },
          filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
          subAttribute: 'value',
        },
        value: 'a@b.c',
      },
      { op: 'remove', path: { attribute: { name: 'name', sub: 'familyName' } } },
      { op: 'replace', value: { active: false } },
    ]);
  });

  it('accepts op names and message attribute names in any letter case (Entra sends "Add", "Replace", "Remove")', () => {
    const operations = parsePatchRequest({
      SCHEMAS: [PATCH_OP_SCHEMA.toUpperCase()],
      operations: [
        { OP: 'Add', Path: 'nickName', Value: 'Babs' },
        { op: 'REPLACE', path: 'active', value: false },
        { op: 'Remove', path: 'title' },
      ],
    });
    assert.deepEqual(
      operations.map((operation) => operation.op),
      ['add', 'replace', 'remove'],
    );
    assert.equal(operations[0]?.value, 'Babs');
  });

  it('keeps a null value (it unassigns on replace)', () => {
    assert.deepEqual(parsePatchRequest(patch({ op: 'replace', path: 'title', value: null })), [
      { op: 'replace', path: { attribute: { name: 'title' } }, value: null },
    ]);
  });

  describe('refuses', () => {
    it('a body that is not an object, or without the PatchOp schema', () => {
      assertScimError(() => parsePatchRequest([]), 'invalidSyntax', /must be a JSON object/);
      assertScimError(
        () => parsePatchRequest({ Operations: [{ op: 'add', value: {} }] }),
        'invalidSyntax',
        /PatchOp/,
      );
      assertScimError(
        () => parsePatchRequest({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [] }),
        'invalidSyntax',
        /PatchOp/,
      );
    });

    it('missing, empty or malformed Operations', () => {
      for (const Operations of [undefined, [], {}, 'add']) {
        assertScimError(
          () => parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations }),
          'invalidSyntax',
          /Operations/,
        );
      }
      assertScimError(
        () => parsePatchRequest(patch('add')),
        'invalidSyntax',
        /Operations\[0\] must be an object/,
      );
    });

    it('an unknown op', () => {
      assertScimError(
        () => parsePatchRequest(patch({ op: 'merge', path: 'title', value: 'x' })),
        'invalidSyntax',
        /Operations\[0\]\.op must be "add", "replace" or "remove", got "merge"/,
      );
      assertScimError(
        () => parsePatchRequest(patch({ path: 'title', value: 'x' })),
        'invalidSyntax',
        /got undefined/,
      );
    });

    it('a malformed path as invalidPath', () => {
      assertScimError(
        () => parsePatchRequest(patch({ op: 'remove', path: 'emails[type eq' })),
        'invalidPath',
      );
      assertScimError(
        () => parsePatchRequest(patch({ op: 'remove', path: 42 })),
        'invalidPath',
        /must be a string/,
      );
    });

    it('a remove without path as noTarget (RFC 7644 §3.5.2.2)', () => {
      assertScimError(() => parsePatchRequest(patch({ op: 'remove' })), 'noTarget');
      assertScimError(() => parsePatchRequest(patch({ op: 'Remove', value: { title: 'x' } })), 'noTarget');
    });

    it('an add or replace without value as invalidValue', () => {
      assertScimError(
        () => parsePatchRequest(patch({ op: 'add', path: 'title' })),
        'invalidValue',
        /needs a "value"/,
      );
      assertScimError(() => parsePatchRequest(patch({ op: 'replace' })), 'invalidValue');
    });
  });
});
