/**
 * Every PATCH example of RFC 7644 §3.5.2.1–3, sent over HTTP to real users and groups with the
 * `If-Match` header the examples carry (the resource's current ETag), and checked by a GET after the
 * PATCH. Ids of the examples are replaced by the server's; each example starts from fresh resources.
 * @see RFC 7644 §3.5.2.1, §3.5.2.2, §3.5.2.3
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FULL_USER } from '../support/rfc-7643-users.ts';
import {
  conformanceDialects,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
  useConformanceService,
} from './conformance-service.ts';

const patchOp = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

/** The §3.5.2.3 replacement work address. */
const NEW_WORK_ADDRESS = {
  type: 'work',
  streetAddress: '911 Universal City Plaza',
  locality: 'Hollywood',
  region: 'CA',
  postalCode: '91608',
  country: 'US',
  formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
  primary: true,
};

for (const dialect of await conformanceDialects()) {
  describe(`RFC 7644 §3.5.2 PATCH examples over HTTP (${dialect.name})`, () => {
    const client = useConformanceService(dialect);
    let babs = '';
    let james = '';
    let other = '';
    let created = 0;
    const member = (id: string, display: string) => ({
      display,
      $ref: `https://example.com/v2/Users/${id}`,
      value: id,
    });
    const babsMember = () => member(babs, 'Babs Jensen');
    const jamesMember = () => member(james, 'James Smith');

    before(async () => {
      const createUser = async (userName: string, displayName: string) => {
        const response = await client.request('POST', 'Users', {
          body: { schemas: [USER_SCHEMA], userName, displayName },
        });
        assert.equal(response.status, 201, response.text);
        return response.body.id as string;
      };
      babs = await createUser('babs@example.com', 'Babs Jensen');
      james = await createUser('james@example.com', 'James Smith');
      other = await createUser('other@example.com', 'Other Member');
    });

    /** A fresh "Tour Guides" group with `members`; returns its id. */
    const createGroup = async (...members: string[]) => {
      const response = await client.request('POST', 'Groups', {
        body: {
          schemas: [GROUP_SCHEMA],
          displayName: `Tour Guides ${++created}`,
          members: members.map((value) => ({ value })),
        },
      });
      assert.equal(response.status, 201, response.text);
      return response.body.id as string;
    };
    /** A fresh copy of the §8.2 user (own userName); returns its id. */
    const createFullUser = async (overrides: Record<string, unknown> = {}) => {
      const body = { ...FULL_USER, userName: `bjensen-${++created}@example.com`, ...overrides };
      const response = await client.request('POST', 'Users', { body });
      assert.equal(response.status, 201, response.text);
      return response.body.id as string;
    };
    /** PATCH with the resource's current ETag in If-Match, as the RFC's examples do. */
    const patch = async (resource: 'Users' | 'Groups', id: string, body: unknown) => {
      const current = await client.request('GET', `${resource}/${id}`);
      const etag = String(current.headers.etag);
      assert.match(etag, /^W\/".+"$/);
      return client.request('PATCH', `${resource}/${id}`, { body, headers: { 'if-match': etag } });
    };
    const memberIdsOf = async (groupId: string) => {
      const response = await client.request('GET', `Groups/${groupId}`);
      assert.equal(response.status, 200);
      assert.match(response.body.displayName, /^Tour Guides/);
      return ((response.body.members ?? []) as { value: string }[]).map((entry) => entry.value).sort();
    };
    const getUser = async (id: string) => (await client.request('GET', `Users/${id}`)).body;

    describe('§3.5.2.1 Add Operation', () => {
      it('adds a member to a group (and adding it again changes nothing)', async () => {
        const group = await createGroup(other);
        const body = patchOp({ op: 'add', path: 'members', value: [babsMember()] });
        assert.equal((await patch('Groups', group, body)).status, 204);
        assert.deepEqual(await memberIdsOf(group), [babs, other].sort());
        assert.equal((await patch('Groups', group, body)).status, 204);
        assert.deepEqual(await memberIdsOf(group), [babs, other].sort());
      });

      it('adds an email and a nickname without a path ("nickname" is nickName)', async () => {
        const user = await createFullUser({
          emails: [{ value: 'bjensen@example.com', type: 'work' }],
          nickName: undefined,
        });
        const response = await patch(
          'Users',
          user,
          patchOp({
            op: 'add',
            value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' },
          }),
        );
        assert.equal(response.status, 200, response.text);
        const after = await getUser(user);
        assert.deepEqual(after.emails, [
          { value: 'bjensen@example.com', type: 'work' },
          { value: 'babs@jensen.org', type: 'home' },
        ]);
        assert.equal(after.nickName, 'Babs');
        assert.deepEqual(response.body, after);
      });
    });

    describe('§3.5.2.2 Remove Operation', () => {
      it('removes a single member of a group', async () => {
        const group = await createGroup(babs, other);
        const response = await patch(
          'Groups',
          group,
          patchOp({ op: 'remove', path: `members[value eq "${babs}"]` }),
        );
        assert.equal(response.status, 204, response.text);
        assert.deepEqual(await memberIdsOf(group), [other]);
      });

      it('removes all members of a group', async () => {
        const group = await createGroup(babs, james, other);
        assert.equal((await patch('Groups', group, patchOp({ op: 'remove', path: 'members' }))).status, 204);
        assert.deepEqual(await memberIdsOf(group), []);
      });

      it('removes the values of a multi-valued complex attribute that a filter selects', async () => {
        const user = await createFullUser();
        const response = await patch(
          'Users',
          user,
          patchOp({ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }),
        );
        assert.equal(response.status, 200, response.text);
        assert.deepEqual((await getUser(user)).emails, [{ value: 'babs@jensen.org', type: 'home' }]);
      });

      it('removes one member and adds another in one request (`value eq"…"` without a space)', async () => {
        const group = await createGroup(babs, other);
        const response = await patch(
          'Groups',
          group,
          patchOp(
            { op: 'remove', path: `members[value eq"${babs}"]` },
            { op: 'add', path: 'members', value: [jamesMember()] },
          ),
        );
        assert.equal(response.status, 204, response.text);
        assert.deepEqual(await memberIdsOf(group), [james, other].sort());
      });

      it('replaces all members of a group: remove all, then add', async () => {
        const group = await createGroup(other);
        const response = await patch(
          'Groups',
          group,
          patchOp(
            { op: 'remove', path: 'members' },
            { op: 'add', path: 'members', value: [babsMember(), jamesMember()] },
          ),
        );
        assert.equal(response.status, 204, response.text);
        assert.deepEqual(await memberIdsOf(group), [babs, james].sort());
      });

      it('(§3.5.2.2 rule, no example) removes a sub-attribute of the values a filter selects', async () => {
        const user = await createFullUser();
        const response = await patch(
          'Users',
          user,
          patchOp({ op: 'remove', path: 'addresses[type eq "work"].formatted' }),
        );
        assert.equal(response.status, 200, response.text);
        const [work, home] = (await getUser(user)).addresses;
        assert.equal(work.formatted, undefined);
        assert.equal(work.streetAddress, '100 Universal City Plaza');
        assert.deepEqual(home, FULL_USER.addresses[1]);
      });
    });

    describe('§3.5.2.3 Replace Operation', () => {
      it('replaces all members of a group in one replace', async () => {
        const group = await createGroup(other);
        const response = await patch(
          'Groups',
          group,
          patchOp({ op: 'replace', path: 'members', value: [babsMember(), jamesMember()] }),
        );
        assert.equal(response.status, 204, response.text);
        assert.deepEqual(await memberIdsOf(group), [babs, james].sort());
      });

      it('replaces the whole work address selected by a value filter', async () => {
        const user = await createFullUser();
        const response = await patch(
          'Users',
          user,
          patchOp({ op: 'replace', path: 'addresses[type eq "work"]', value: NEW_WORK_ADDRESS }),
        );
        assert.equal(response.status, 200, response.text);
        assert.deepEqual((await getUser(user)).addresses, [NEW_WORK_ADDRESS, FULL_USER.addresses[1]]);
      });

      it('replaces the streetAddress of the work address selected by a value filter', async () => {
        const user = await createFullUser();
        const response = await patch(
          'Users',
          user,
          patchOp({
            op: 'replace',
            path: 'addresses[type eq "work"].streetAddress',
            value: '1010 Broadway Ave',
          }),
        );
        assert.equal(response.status, 200, response.text);
        assert.deepEqual((await getUser(user)).addresses, [
          { ...FULL_USER.addresses[0], streetAddress: '1010 Broadway Ave' },
          FULL_USER.addresses[1],
        ]);
      });

      it('replaces all emails and the nickname without a path', async () => {
        const user = await createFullUser({
          emails: [{ value: 'old@example.com', type: 'other' }],
          nickName: 'Barbie',
        });
        const emails = [
          { value: 'bjensen@example.com', type: 'work', primary: true },
          { value: 'babs@jensen.org', type: 'home' },
        ];
        const response = await patch(
          'Users',
          user,
          patchOp({ op: 'replace', value: { emails, nickname: 'Babs' } }),
        );
        assert.equal(response.status, 200, response.text);
        const after = await getUser(user);
        assert.deepEqual(after.emails, emails);
        assert.equal(after.nickName, 'Babs');
      });
    });
  });
}
