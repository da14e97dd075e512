import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScimPath, type ScimPath, setScimPath } from './scim-path.ts';

const path = (text: string): ScimPath => {
  const parsed = parseScimPath(text);
  assert.ok(parsed, text);
  return parsed;
};

describe('setScimPath', () => {
  it('parses the three forms and rejects others', () => {
    assert.deepEqual(parseScimPath('userName'), { attribute: 'userName' });
    assert.deepEqual(parseScimPath('name.givenName'), { attribute: 'name', subAttribute: 'givenName' });
    assert.deepEqual(parseScimPath('emails[type eq "work"].value'), {
      attribute: 'emails',
      type: 'work',
      subAttribute: 'value',
    });
    assert.equal(parseScimPath('emails[type eq "work"]'), undefined);
    assert.equal(parseScimPath('1abc'), undefined);
  });

  it('writes only the value the path names and leaves the rest', () => {
    const doc: Record<string, unknown> = {
      name: { givenName: 'Old', middleName: 'Local' },
      emails: [{ type: 'home', value: 'me@home.test' }],
    };
    setScimPath(doc, path('name.givenName'), 'Ada');
    setScimPath(doc, path('emails[type eq "work"].value'), ['ada@work.test', 'other@work.test']);
    assert.deepEqual(doc, {
      name: { givenName: 'Ada', middleName: 'Local' },
      emails: [
        { type: 'home', value: 'me@home.test' },
        { type: 'work', value: 'ada@work.test' },
      ],
    });
    setScimPath(doc, path('emails[type eq "work"].value'), null);
    setScimPath(doc, path('name.middleName'), '');
    setScimPath(doc, path('name.givenName'), null);
    assert.deepEqual(doc, { emails: [{ type: 'home', value: 'me@home.test' }] });
  });
});
