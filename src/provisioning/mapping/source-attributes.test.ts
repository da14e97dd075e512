import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTERPRISE_USER, FULL_USER } from '../../../test/support/rfc-7643-users.ts';
import { checkExpression, evaluateExpression, parseExpression } from './expression/index.ts';
import {
  createAttributeSource,
  readSourceAttribute,
  USER_ATTRIBUTE_CATALOGUE,
  USER_SOURCE_ALIASES,
} from './source-attributes.ts';

const read = (name: string, user: Record<string, unknown> = ENTERPRISE_USER) =>
  readSourceAttribute('User', user, name);

describe('readSourceAttribute', () => {
  it('reads core attributes case-insensitively', () => {
    assert.equal(read('userName'), 'bjensen@enterprise.example.com');
    assert.equal(read('USERNAME'), 'bjensen@enterprise.example.com');
    assert.equal(read('id'), '2819c223-7f76-453a-919d-413861904646');
    assert.equal(read('externalId'), '701984');
    assert.equal(read('active'), true);
    assert.equal(read('name.givenName'), 'Barbara');
    assert.equal(read('Name.GivenName'), 'Barbara');
  });

  it('reads value paths as one value and multi-valued paths as lists', () => {
    assert.equal(read('emails[type eq "work"].value'), 'bjensen@example.com');
    assert.equal(read('emails[type eq "home"].value'), 'babs@jensen.org');
    assert.equal(read('emails[type eq "other"].value'), undefined);
    assert.deepEqual(read('emails.value'), ['bjensen@example.com', 'babs@jensen.org']);
    assert.deepEqual(read('emails'), ['bjensen@example.com', 'babs@jensen.org']);
  });

  it('prefers the primary element among several matches', () => {
    const user = {
      emails: [
        { type: 'work', value: 'a@example.com' },
        { type: 'work', value: 'b@example.com', primary: true },
      ],
    };
    assert.equal(read('emails[type eq "work"].value', user), 'b@example.com');
    assert.equal(read('mail', user), 'b@example.com');
  });

  it('resolves the aliases', () => {
    assert.equal(read('mail'), 'bjensen@example.com');
    assert.equal(read('givenName'), 'Barbara');
    assert.equal(read('surname'), 'Jensen');
    assert.equal(read('department'), 'Tour Operations');
    assert.equal(read('employeeId'), '701984');
    assert.equal(read('manager'), '26118915-6090-4610-87e4-49d8ca9f808d');
    assert.equal(read('objectId'), '2819c223-7f76-453a-919d-413861904646');
    assert.equal(read('MAIL'), 'bjensen@example.com');
    assert.equal(read('mobile'), '555-555-4444');
    assert.equal(read('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter'), '4130');
    for (const alias of USER_SOURCE_ALIASES) {
      assert.notEqual(USER_ATTRIBUTE_CATALOGUE.lookup(alias.name), undefined, alias.name);
    }
  });

  it('falls back to the work e-mail when none is primary', () => {
    assert.equal(
      read('mail', {
        emails: [
          { type: 'home', value: 'h@x' },
          { type: 'work', value: 'w@x' },
        ],
      }),
      'w@x',
    );
    assert.equal(read('mail', { emails: [{ type: 'home', value: 'h@x' }] }), undefined);
  });

  it('reads dateTime attributes as instants', () => {
    const created = read('meta.created', FULL_USER);
    assert.ok(created instanceof Date);
    assert.equal(created.toISOString(), '2010-01-23T04:56:22.000Z');
  });

  it('reads document keys whatever their case', () => {
    assert.equal(read('userName', { USERNAME: 'x' }), 'x');
    assert.equal(
      read('department', {
        'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER': { Department: 'd' },
      }),
      'd',
    );
  });

  it('reads nothing for unknown, complex or write-only names', () => {
    assert.equal(read('nope'), undefined);
    assert.equal(read('name'), undefined);
    assert.equal(read('password', FULL_USER), undefined);
    assert.equal(read('emails[', FULL_USER), undefined);
  });
});

describe('USER_ATTRIBUTE_CATALOGUE', () => {
  const lookup = (name: string) => USER_ATTRIBUTE_CATALOGUE.lookup(name);

  it('types attributes as RFC 7643 defines them', () => {
    assert.deepEqual(lookup('userName'), { type: 'string', multiValued: false });
    assert.deepEqual(lookup('active'), { type: 'boolean', multiValued: false });
    assert.deepEqual(lookup('meta.created'), { type: 'dateTime', multiValued: false });
    assert.deepEqual(lookup('emails.value'), { type: 'string', multiValued: true });
    assert.deepEqual(lookup('emails[type eq "work"].value'), { type: 'string', multiValued: false });
    assert.deepEqual(lookup('emails[type eq "work"].primary'), { type: 'boolean', multiValued: false });
    assert.deepEqual(lookup('groups.value'), { type: 'string', multiValued: true });
  });

  it('refuses what cannot be read', () => {
    assert.equal(lookup('name'), undefined);
    assert.equal(lookup('addresses'), undefined);
    assert.equal(lookup('password'), undefined);
    assert.equal(lookup('unknown'), undefined);
  });

  it('lets checkExpression type-check and evaluateExpression run over a user', () => {
    const parsed = parseExpression('Join(" ", [givenName], [SURNAME], ToUpper([department]))');
    assert.ok(parsed.ok);
    assert.deepEqual(checkExpression(parsed.expression, USER_ATTRIBUTE_CATALOGUE), {
      ok: true,
      type: { type: 'string', multiValued: false },
    });
    const result = evaluateExpression(parsed.expression, createAttributeSource('User', ENTERPRISE_USER));
    assert.deepEqual(result, { ok: true, value: 'Barbara Jensen TOUR OPERATIONS' });
  });
});
