import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFetchFailure } from './classify-fetch-failure.ts';

const fetchFailed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });
const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyFetchFailure', () => {
  it('tells a refused connection and an unknown host apart', () => {
    assert.deepEqual(classifyFetchFailure(fetchFailed(coded('ECONNREFUSED'))), {
      kind: 'unreachable',
      networkCode: 'ECONNREFUSED',
      reason: 'connection refused (nothing listens on that port)',
    });
    assert.equal(classifyFetchFailure(fetchFailed(coded('ENOTFOUND'))).reason, 'host name not found');
  });

  it('finds the code inside an AggregateError', () => {
    const aggregate = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'all failed');
    assert.equal(classifyFetchFailure(fetchFailed(aggregate)).networkCode, 'ECONNREFUSED');
  });

  it('names TLS failures, without OpenSSL’s text', () => {
    const failure = classifyFetchFailure(
      fetchFailed(
        coded('ERR_SSL_WRONG_VERSION_NUMBER', '4047:error:0A00010B:SSL routines:wrong version number'),
      ),
    );
    assert.equal(failure.kind, 'tls');
    assert.doesNotMatch(failure.reason, /SSL routines/);
    assert.equal(
      classifyFetchFailure(fetchFailed(coded('CERT_HAS_EXPIRED'))).reason,
      'the certificate has expired',
    );
    assert.equal(classifyFetchFailure(fetchFailed(coded('ERR_SSL_SOMETHING_NEW'))).kind, 'tls');
  });

  it('treats an aborted-by-timeout fetch and undici timeouts as timeouts', () => {
    assert.equal(classifyFetchFailure(new DOMException('aborted', 'TimeoutError')).kind, 'timeout');
    assert.equal(classifyFetchFailure(fetchFailed(coded('UND_ERR_CONNECT_TIMEOUT'))).kind, 'timeout');
  });

  it('explains fetch’s blocked ports and anything else without a code', () => {
    assert.equal(classifyFetchFailure(fetchFailed(new Error('bad port'))).networkCode, 'BAD_PORT');
    assert.deepEqual(classifyFetchFailure(new Error('???')), {
      kind: 'unreachable',
      networkCode: undefined,
      reason: 'the connection failed',
    });
  });
});
