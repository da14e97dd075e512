/**
 * Consecutive user creates of a /Bulk request start side by side (execute-bulk.ts) so that their
 * writes share a commit: the answer must still be the one of running them one after the other —
 * each its own result in request order, the first of two equal userNames wins, a failed one alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BULK_REQUEST_SCHEMA, USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();

interface OperationResult {
  bulkId?: string;
  location?: string;
  status: string;
  response?: { scimType?: string };
}

for (const dialect of dialects) {
  describe(`/Bulk user creates side by side (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage);
    });
    after(async () => {
      await service.close();
      await storage.close();
    });
    const bulk = async (operations: unknown[]): Promise<OperationResult[]> => {
      const response = await service.request('POST', 'Bulk', {
        body: { schemas: [BULK_REQUEST_SCHEMA], Operations: operations },
      });
      assert.equal(response.status, 200, response.text);
      return response.body.Operations;
    };
    const create = (bulkId: string, userName: unknown) => ({
      method: 'POST',
      path: '/Users',
      bulkId,
      data: { schemas: [USER_SCHEMA], userName },
    });

    it('answers each create in request order, the first of two equal userNames winning', async () => {
      const operations = [
        ...Array.from({ length: 40 }, (_, index) => create(`a${index}`, `side${index}@example.com`)),
        create('dup', 'SIDE7@example.com'),
        create('bad', 42),
        create('last', 'side-last@example.com'),
      ];
      const results = await bulk(operations);
      assert.deepEqual(
        results.map((result) => result.bulkId),
        operations.map((operation) => operation.bulkId),
      );
      for (const result of results.slice(0, 40)) assert.equal(result.status, '201', JSON.stringify(result));
      assert.equal(results[40]?.status, '409', 'the later of two equal userNames loses');
      assert.equal(results[40]?.response?.scimType, 'uniqueness');
      assert.equal(results[41]?.status, '400', 'a create that fails fails alone');
      assert.equal(results[42]?.status, '201');
      const first = await service.request(
        'GET',
        `Users?filter=${encodeURIComponent('userName eq "side7@example.com"')}`,
      );
      assert.equal(first.body.totalResults, 1);
      assert.equal(first.body.Resources[0].id, String(results[7]?.location).split('/').pop());
    });

    it('lets a later operation use a created user by bulkId', async () => {
      const results = await bulk([
        create('u1', 'ref1@example.com'),
        create('u2', 'ref2@example.com'),
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g',
          data: {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
            displayName: 'side by side',
            members: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }],
          },
        },
      ]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['201', '201', '201'],
      );
      const group = await service.request('GET', `Groups/${String(results[2]?.location).split('/').pop()}`);
      assert.equal(group.body.members.length, 2);
    });
  });
}
