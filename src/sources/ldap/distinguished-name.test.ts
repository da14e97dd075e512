import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeDnValue, formatDn, normalizeDn, parseDn, relativeRdns } from './distinguished-name.ts';

describe('parseDn', () => {
  it('splits RDNs leaf first', () => {
    assert.deepEqual(parseDn('uid=a,ou=Eng,dc=example,dc=test'), [
      [{ type: 'uid', value: 'a' }],
      [{ type: 'ou', value: 'Eng' }],
      [{ type: 'dc', value: 'example' }],
      [{ type: 'dc', value: 'test' }],
    ]);
  });

  it('undoes escaped commas, specials and hex-escaped UTF-8 (RFC 4514 §3)', () => {
    assert.deepEqual(
      parseDn('cn=Smith\\, John,ou=R\\2CD,o=Caf\\C3\\A9 \\+ Co\\\\')?.map((rdn) => rdn[0]?.value),
      ['Smith, John', 'R,D', 'Café + Co\\'],
    );
  });

  it('reads multi-valued RDNs, spaces around separators, ; separators and quoted values', () => {
    assert.deepEqual(parseDn('cn=a+uid=b , ou = Eng ;o="x, y"'), [
      [
        { type: 'cn', value: 'a' },
        { type: 'uid', value: 'b' },
      ],
      [{ type: 'ou', value: 'Eng' }],
      [{ type: 'o', value: 'x, y' }],
    ]);
  });

  it('keeps an escaped trailing space and drops unescaped ones', () => {
    assert.deepEqual(
      parseDn('cn=a\\ ,ou=b  ')?.map((rdn) => rdn[0]?.value),
      ['a ', 'b'],
    );
  });

  it('rejects what is not a DN, accepts the root DN', () => {
    for (const bad of ['uid', 'uid=a,', '=a', 'uid=a,,dc=x', 'u d=a', 'cn=a\\'])
      assert.equal(parseDn(bad), undefined, bad);
    assert.deepEqual(parseDn(''), []);
  });
});

describe('normalizeDn and formatDn', () => {
  it('compares spellings of the same DN equal', () => {
    const forms = [
      'UID=Alice, OU=Eng,DC=Example,DC=Test',
      'uid=alice,ou=eng,dc=example,dc=test',
      'uid=\\41lice,ou=Eng,dc=example,dc=test',
    ];
    const normal = new Set(forms.map(normalizeDn));
    assert.deepEqual([...normal], ['uid=alice,ou=eng,dc=example,dc=test']);
    assert.equal(normalizeDn('uid=b+cn=a,dc=x'), normalizeDn('cn=A+uid=B,dc=x'));
  });

  it('escapes values so they parse back', () => {
    const value = ' #Smith, John+"<>;=\\ ';
    assert.deepEqual(parseDn(formatDn([[{ type: 'cn', value }]])), [[{ type: 'cn', value }]]);
    assert.equal(escapeDnValue('a,b'), 'a\\,b');
  });
});

describe('relativeRdns', () => {
  it('returns the RDNs below the base, case-insensitively', () => {
    assert.deepEqual(relativeRdns('uid=a,ou=Eng,DC=Example,dc=test', 'dc=example,dc=test')?.length, 2);
    assert.deepEqual(relativeRdns('dc=example,dc=test', 'dc=example,dc=test'), []);
    assert.equal(relativeRdns('uid=a,dc=other,dc=test', 'dc=example,dc=test'), undefined);
    assert.equal(relativeRdns('dc=test', 'dc=example,dc=test'), undefined);
  });
});
