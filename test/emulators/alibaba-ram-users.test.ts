/**
 * RAM's SCIM `/Users`, driven with the requests of Alibaba Cloud's guides: "Provision users to RAM using
 * SCIM" (create, the userName / externalId / id lookups, PUT, DELETE; "对于SCIM Filter，阿里云仅支持对id、
 * userName和externalId进行and和eq操作"), "Synchronize Okta users to RAM" (userName as the unique
 * identifier, `active` changes nothing, no groups) and IDaaS's "Use SCIM to synchronize accounts to RAM"
 * (values lower-cased by IDaaS: RAM is not case-sensitive).
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  ERROR_SCHEMA,
  filterPath,
  LIST_SCHEMA,
  USER_SCHEMA,
  useEmulatorProcess,
  userBody,
} from './ram-emulator-process.ts';

/** The guide's create request body, verbatim but for its masked characters. */
const GUIDE_CREATE_BODY = {
  displayName: 'j2gg0s_demo',
  schemas: [USER_SCHEMA],
  externalId: '6e74eec4-ddb5-4e74-bd12-5e7b99b2a1b2',
  userName: 'j2gg0screatedbyscim_example',
};

describe('Alibaba Cloud RAM emulator: SCIM /Users', () => {
  const emulator = useEmulatorProcess();
  let token = '';
  const scim = (method: string, path: string, body?: unknown) => emulator.scim(method, path, { body, token });
  const assertScimError = (
    answer: { status: number; body: { schemas: string[]; status: string } },
    status: number,
  ) => {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.schemas, [ERROR_SCHEMA]);
    assert.equal(answer.body.status, String(status));
  };

  beforeEach(async () => {
    await emulator.control('POST', '/reset');
    token = await emulator.token();
  });

  it('creates a user from the guide’s request and answers it in RAM’s shape', async () => {
    const created = await scim('POST', '/Users', GUIDE_CREATE_BODY);
    assert.equal(created.status, 201);
    assert.match(created.headers.get('content-type') ?? '', /^application\/scim\+json/);
    const { id, meta, ...attributes } = created.body;
    assert.match(id, /^\d{16}$/);
    assert.deepEqual(attributes, { ...GUIDE_CREATE_BODY });
    assert.deepEqual(Object.keys(meta).sort(), ['created', 'lastModified', 'location', 'resourceType']);
    assert.equal(meta.resourceType, 'User');
    assert.match(meta.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(meta.location, `${emulator.url}/Users/${id}`);
    assert.equal(created.headers.get('location'), meta.location);
    const fetched = await scim('GET', `/Users/${id}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body, created.body);
  });

  it('finds users by userName, externalId and id with eq and and; unknown values list nothing', async () => {
    const { body: alice } = await scim('POST', '/Users', userBody('alice', 'Alice', 'ext-alice'));
    await scim('POST', '/Users', userBody('bob', 'Bob', 'ext-bob'));
    for (const filter of [
      'userName eq "alice"',
      'externalId eq "ext-alice"',
      `id eq "${alice.id}"`,
      `userName eq "alice" and externalId eq "ext-alice" and id eq "${alice.id}"`,
    ]) {
      const answer = await scim('GET', filterPath(filter));
      assert.equal(answer.status, 200, filter);
      assert.deepEqual(answer.body.schemas, [LIST_SCHEMA]);
      assert.equal(answer.body.totalResults, 1, filter);
      assert.equal(answer.body.Resources[0].id, alice.id, filter);
    }
    for (const filter of ['userName eq "nobody-4a1f"', 'userName eq "alice" and externalId eq "ext-bob"']) {
      const answer = await scim('GET', filterPath(filter));
      assert.equal(answer.status, 200);
      assert.equal(answer.body.totalResults, 0);
      assert.deepEqual(answer.body.Resources, []);
    }
  });

  it('treats userName case-insensitively, keeps it as sent, and keeps externalId case-sensitive', async () => {
    const { body: alice } = await scim('POST', '/Users', userBody('Alice.Smith', 'Alice Smith', 'User_ABC'));
    // IDaaS lower-cases every value before it syncs.
    const found = await scim('GET', filterPath('userName eq "alice.smith"'));
    assert.equal(found.body.totalResults, 1);
    assert.equal(found.body.Resources[0].userName, 'Alice.Smith');
    const byLowerExternalId = await scim('GET', filterPath('externalId eq "user_abc"'));
    assert.equal(byLowerExternalId.body.totalResults, 0);
    const duplicate = await scim('POST', '/Users', userBody('alice.smith', 'alice smith', 'user_abc'));
    assertScimError(duplicate, 409);
    assert.equal(duplicate.body.scimType, 'uniqueness');
    assert.equal((await scim('GET', `/Users/${alice.id}`)).body.userName, 'Alice.Smith');
  });

  it('answers 409 uniqueness for a taken externalId', async () => {
    await scim('POST', '/Users', userBody('alice', 'Alice', 'ext-1'));
    const answer = await scim('POST', '/Users', userBody('bob', 'Bob', 'ext-1'));
    assertScimError(answer, 409);
    assert.equal(answer.body.scimType, 'uniqueness');
    assert.match(answer.body.detail, /externalId/);
  });

  it('replaces a user with PUT, renaming it as the guide does, and moves lastModified', async () => {
    const { body: user } = await scim('POST', '/Users', GUIDE_CREATE_BODY);
    await emulator.control('POST', '/clock', { advanceSeconds: 296 });
    const replaced = await scim('PUT', `/Users/${user.id}`, {
      ...GUIDE_CREATE_BODY,
      displayName: 'j2gg0s_new_demo',
      userName: 'j2gg0screatedbyscim_new_example',
    });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.userName, 'j2gg0screatedbyscim_new_example');
    assert.equal(replaced.body.displayName, 'j2gg0s_new_demo');
    assert.equal(replaced.body.externalId, GUIDE_CREATE_BODY.externalId);
    assert.equal(replaced.body.meta.created, user.meta.created);
    // Second-precision instants: a second boundary may pass between the two requests.
    const moved = Date.parse(replaced.body.meta.lastModified) - Date.parse(user.meta.created);
    assert.ok(moved >= 296_000 && moved <= 297_000, `lastModified moved ${moved} ms`);
    // PUT replaces: what it leaves out is gone (RFC 7644 §3.5.1).
    const withoutExternalId = await scim('PUT', `/Users/${user.id}`, userBody('renamed', 'Renamed'));
    assert.equal(withoutExternalId.status, 200);
    assert.equal('externalId' in withoutExternalId.body, false);
    // What the client GETs it may PUT back: id and meta are ignored.
    const echoed = await scim('PUT', `/Users/${user.id}`, {
      ...withoutExternalId.body,
      displayName: 'Echoed',
    });
    assert.equal(echoed.status, 200);
    assert.equal(echoed.body.displayName, 'Echoed');
  });

  it('accepts Okta’s active and changes nothing: RAM users have no disabled state', async () => {
    const created = await scim('POST', '/Users', { ...userBody('okta.user', 'Okta User'), active: true });
    assert.equal(created.status, 201);
    assert.equal('active' in created.body, false);
    const deactivated = await scim('PUT', `/Users/${created.body.id}`, {
      ...userBody('okta.user', 'Okta User'),
      active: false,
    });
    assert.equal(deactivated.status, 200);
    assert.deepEqual(deactivated.body, created.body);
  });

  it('answers PATCH with 501: RAM updates by PUT', async () => {
    const { body: user } = await scim('POST', '/Users', userBody('alice', 'Alice'));
    const answer = await scim('PATCH', `/Users/${user.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    assertScimError(answer, 501);
    assert.match(answer.body.detail, /PUT/);
  });

  it('refuses what RAM cannot hold: other attributes, bad names, no displayName, no schemas', async () => {
    const emails = await scim('POST', '/Users', {
      ...userBody('alice', 'Alice'),
      emails: [{ value: 'a@example.com' }],
    });
    assertScimError(emails, 400);
    assert.equal(emails.body.scimType, 'invalidSyntax');
    for (const body of [
      userBody('alice@example.com', 'Alice'),
      userBody('x'.repeat(65), 'Alice'),
      userBody('alice smith', 'Alice'),
      userBody('alice', 'x'.repeat(129)),
      { schemas: [USER_SCHEMA], userName: 'alice' },
    ]) {
      const answer = await scim('POST', '/Users', body);
      assertScimError(answer, 400);
      assert.equal(answer.body.scimType, 'invalidValue', JSON.stringify(body));
    }
    assertScimError(await scim('POST', '/Users', { userName: 'alice', displayName: 'Alice' }), 400);
    const notJson = await emulator.send(`${emulator.url}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"userName":',
    });
    assertScimError(notJson, 400);
    const text = await emulator.send(`${emulator.url}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'alice',
    });
    assertScimError(text, 415);
    assert.equal((await scim('GET', '/Users')).body.totalResults, 0);
  });

  it('refuses filters RAM does not support with 400 invalidFilter', async () => {
    for (const filter of [
      'userName eq "a" or userName eq "b"',
      'userName co "a"',
      'userName sw "a"',
      'displayName eq "Alice"',
      'emails.value eq "a@example.com"',
      'userName eq alice',
      'not (userName eq "a")',
      'meta.lastModified gt "2020-01-01T00:00:00Z"',
    ]) {
      const answer = await scim('GET', filterPath(filter));
      assertScimError(answer, 400);
      assert.equal(answer.body.scimType, 'invalidFilter', filter);
    }
  });

  it('pages in creation order; itemsPerPage is the page size asked for (30 by default)', async () => {
    const ids: string[] = [];
    for (let index = 1; index <= 5; index++) {
      ids.push((await scim('POST', '/Users', userBody(`user${index}`, `User ${index}`))).body.id);
    }
    const all = await scim('GET', '/Users');
    assert.deepEqual(
      {
        totalResults: all.body.totalResults,
        itemsPerPage: all.body.itemsPerPage,
        startIndex: all.body.startIndex,
      },
      { totalResults: 5, itemsPerPage: 30, startIndex: 1 },
    );
    const seen: string[] = [];
    for (let startIndex = 1; startIndex <= 5; startIndex += 2) {
      const page = await scim('GET', `/Users?startIndex=${startIndex}&count=2`);
      assert.equal(page.body.totalResults, 5);
      assert.equal(page.body.itemsPerPage, 2);
      assert.equal(page.body.startIndex, startIndex);
      seen.push(...page.body.Resources.map((user: { id: string }) => user.id));
    }
    assert.deepEqual(seen, ids);
    const beyond = await scim('GET', '/Users?startIndex=6&count=2');
    assert.deepEqual([beyond.body.totalResults, beyond.body.Resources], [5, []]);
    const countOnly = await scim('GET', '/Users?count=0');
    assert.deepEqual([countOnly.body.totalResults, countOnly.body.Resources], [5, []]);
    assertScimError(await scim('GET', '/Users?count=ten'), 400);
    assert.equal((await scim('GET', '/Users?count=1000')).body.itemsPerPage, 100);
  });

  it('deletes with 204; the user is gone and a second DELETE, GET or PUT answers 404', async () => {
    const { body: user } = await scim('POST', '/Users', userBody('leaver', 'Leaver'));
    // The guide's DELETE sends Content-Type: application/json and no body.
    const deleted = await emulator.send(`${emulator.url}/Users/${user.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer  ${token}`, 'content-type': 'application/json' },
    });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, undefined);
    assertScimError(await scim('DELETE', `/Users/${user.id}`), 404);
    assertScimError(await scim('GET', `/Users/${user.id}`), 404);
    assertScimError(await scim('PUT', `/Users/${user.id}`, userBody('leaver', 'Leaver')), 404);
    assert.equal((await scim('GET', filterPath('userName eq "leaver"'))).body.totalResults, 0);
  });

  it('has no /Groups, /Bulk or /Me: 404 with a SCIM error', async () => {
    for (const path of ['/Groups', '/Groups?filter=displayName%20eq%20%22dev%22', '/Bulk', '/Me']) {
      assertScimError(await scim('GET', path), 404);
    }
    assertScimError(
      await scim('POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'dev',
      }),
      404,
    );
  });

  it('requires a Bearer token on /Users; discovery answers without one', async () => {
    for (const authorization of [undefined, 'Bearer', 'Basic abc', 'Bearer not-a-token']) {
      const answer = await emulator.send(`${emulator.url}/Users`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      assertScimError(answer, 401);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
    }
    const resourceTypes = await emulator.send(`${emulator.url}/ResourceTypes`, {});
    assert.equal(resourceTypes.status, 200);
    assert.deepEqual(
      resourceTypes.body.Resources.map((type: { endpoint: string }) => type.endpoint),
      ['/Users'],
    );
    const schemas = await emulator.send(`${emulator.url}/Schemas`, {});
    assert.deepEqual(
      schemas.body.Resources[0].attributes.map((attribute: { name: string }) => attribute.name),
      ['userName', 'displayName', 'externalId'],
    );
    const config = await emulator.send(`${emulator.url}/ServiceProviderConfig`, {});
    assert.equal(config.body.patch.supported, false);
  });
});
