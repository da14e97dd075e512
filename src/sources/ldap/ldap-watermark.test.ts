import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildIncrementalFilter, formatGeneralizedTime, nextWatermark } from './ldap-watermark.ts';

const entry = (attributes: Record<string, string[]>) => ({ attributes });

describe('buildIncrementalFilter', () => {
  it('narrows the base filter for each watermark kind', () => {
    assert.equal(
      buildIncrementalFilter('(objectClass=person)', {
        attribute: 'modifyTimestamp',
        value: '20240102030405Z',
      }),
      '(&(objectClass=person)(modifyTimestamp>=20240102030405Z))',
    );
    assert.equal(
      buildIncrementalFilter('objectClass=user', {
        attribute: 'modifyTimestamp',
        value: '20240102030405.0Z',
      }),
      '(&(objectClass=user)(modifyTimestamp>=20240102030405Z))',
    );
    assert.equal(
      buildIncrementalFilter('(objectClass=user)', { attribute: 'uSNChanged', value: '12345' }),
      '(&(objectClass=user)(uSNChanged>=12346))',
    );
    const csn = '20240102030405.123456Z#000000#000#000000';
    assert.equal(
      buildIncrementalFilter('(objectClass=*)', { attribute: 'entryCSN', value: csn }),
      `(&(objectClass=*)(entryCSN>=${csn})(!(entryCSN=${csn})))`,
    );
  });

  it('refuses a malformed watermark instead of splicing it into the filter', () => {
    assert.throws(
      () => buildIncrementalFilter('(uid=*)', { attribute: 'uSNChanged', value: '1)(uid=*' }),
      /Malformed/,
    );
    assert.throws(
      () => buildIncrementalFilter('(uid=*)', { attribute: 'modifyTimestamp', value: '2024' }),
      /Malformed/,
    );
  });
});

describe('nextWatermark', () => {
  it('takes the largest value seen, keeping the previous one when nothing is newer', () => {
    const entries = [
      entry({ modifytimestamp: ['20240101000000Z'] }),
      entry({ modifytimestamp: ['20240301000000Z'] }),
      entry({ cn: ['no timestamp'] }),
    ];
    assert.deepEqual(nextWatermark('modifyTimestamp', undefined, entries), {
      attribute: 'modifyTimestamp',
      value: '20240301000000Z',
    });
    const later = { attribute: 'modifyTimestamp' as const, value: '20250101000000Z' };
    assert.equal(nextWatermark('modifyTimestamp', later, entries), later);
    assert.equal(nextWatermark('modifyTimestamp', undefined, []), undefined);
  });

  it('compares USNs as numbers and AD timestamps with fractions', () => {
    const usns = [
      entry({ usnchanged: ['999'] }),
      entry({ usnchanged: ['1000'] }),
      entry({ usnchanged: ['12'] }),
    ];
    assert.equal(nextWatermark('uSNChanged', undefined, usns)?.value, '1000');
    const stamps = [
      entry({ modifytimestamp: ['20240101000000.5Z'] }),
      entry({ modifytimestamp: ['20240101000000Z'] }),
    ];
    assert.equal(nextWatermark('modifyTimestamp', undefined, stamps)?.value, '20240101000000.5Z');
  });

  it('orders entryCSNs by time, then change count', () => {
    const csns = [
      entry({ entrycsn: ['20240101000000.000002Z#000000#000#000000'] }),
      entry({ entrycsn: ['20240101000000.000002Z#000001#000#000000'] }),
      entry({ entrycsn: ['20231231235959.999999Z#000009#000#000000'] }),
    ];
    assert.equal(
      nextWatermark('entryCSN', undefined, csns)?.value,
      '20240101000000.000002Z#000001#000#000000',
    );
  });

  it('ignores a previous watermark of another kind', () => {
    const previous = { attribute: 'uSNChanged' as const, value: '5' };
    assert.equal(nextWatermark('modifyTimestamp', previous, []), undefined);
  });
});

describe('formatGeneralizedTime', () => {
  it('writes UTC whole seconds', () => {
    assert.equal(formatGeneralizedTime(new Date('2024-05-06T07:08:09.999Z')), '20240506070809Z');
  });
});
