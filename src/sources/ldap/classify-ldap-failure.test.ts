import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { InvalidCredentialsError, NoSuchObjectError, UnwillingToPerformError } from 'ldapts';
import { classifyLdapFailure, type FailureContext } from './classify-ldap-failure.ts';

const context = (phase: FailureContext['phase']): FailureContext => ({
  phase,
  url: 'ldap://dc1.corp.example:389',
  bindDn: 'CN=svc,DC=corp,DC=example',
  bindPassword: 'Hunter2-secret',
  baseDn: 'OU=Staff,DC=corp,DC=example',
});

const socketError = (code: string, message = `connect ${code}`) =>
  Object.assign(new Error(message), { code });

describe('classifyLdapFailure', () => {
  it('tells Active Directory bind failures apart by their data sub-code', () => {
    const wrong = new InvalidCredentialsError(
      '80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563',
    );
    const error = classifyLdapFailure(wrong, context('bind'));
    assert.equal(error.code, 'invalid_credentials');
    assert.equal(error.resultCode, 49);
    assert.match(error.message, /the password is wrong/);
    const locked = classifyLdapFailure(new InvalidCredentialsError('... data 775, v4563'), context('bind'));
    assert.match(locked.message, /locked out/);
  });

  it('maps socket, timeout, TLS and result-code failures to their codes', () => {
    const cases: [unknown, FailureContext['phase'], string][] = [
      [socketError('ECONNREFUSED'), 'bind', 'unreachable'],
      [socketError('EHOSTUNREACH'), 'bind', 'unreachable'],
      [new Error('Connection timeout'), 'bind', 'timeout'],
      [new Error('SearchRequest: Operation timed out'), 'search', 'timeout'],
      [
        socketError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
        'bind',
        'tls',
      ],
      [
        socketError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
        'starttls',
        'tls',
      ],
      [new UnwillingToPerformError('unsupported extended operation'), 'starttls', 'tls'],
      [new Error('Connection closed before message response was received.'), 'search', 'unreachable'],
      [new NoSuchObjectError('no such object'), 'search', 'no_such_base'],
      [new UnwillingToPerformError('no'), 'search', 'search_failed'],
    ];
    for (const [cause, phase, code] of cases) {
      assert.equal(classifyLdapFailure(cause, context(phase)).code, code, `${String(cause)} during ${phase}`);
    }
  });

  it('scrubs the bind password even when a server echoes it', () => {
    const echoed = new UnwillingToPerformError('bad value Hunter2-secret');
    const error = classifyLdapFailure(echoed, context('bind'));
    for (const text of [error.message, inspect(error, { depth: 5 }), JSON.stringify(error)])
      assert.ok(!text.includes('Hunter2-secret'), text);
    assert.match(inspect(error), /bad value \*\*\*/);
  });
});
