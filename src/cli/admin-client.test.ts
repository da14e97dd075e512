import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { AdminApiError, createAdminClient } from './admin-client.ts';
import { EXIT, reportFailure } from './cli-output.ts';

const TOKEN = 'lsa_0123456789abcdef_secretsecretsecretsecretsecretsecretsecret';

/** Answers each path with a canned status, headers and body; records what it was sent. */
function cannedServer(
  seen: { method?: string; url?: string; authorization?: string; body?: string }[],
): Server {
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.authorization,
        body,
      });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      const path = request.url?.split('?')[0];
      if (path === '/api/tenants') return send(200, { items: [] });
      if (path === '/api/invalid')
        return send(400, {
          error: 'invalid_request',
          message: 'Invalid body',
          fields: [{ path: 'body.tokenTtlSeconds', message: 'Too small: expected >=900' }],
        });
      if (path === '/api/referenced')
        return send(409, {
          error: 'conflict',
          message: 'Tenant "acme" is still referenced',
          references: [{ kind: 'provisioning', id: 'p1', name: 'RAM' }],
        });
      if (path === '/api/busy')
        return send(429, { error: 'rate_limited', message: 'slow down' }, { 'retry-after': '7' });
      if (path === '/api/forbidden') return send(403, { error: 'forbidden', message: 'Read-only token' });
      if (path === '/api/refused') return send(401, { error: 'unauthorized', message: `bad token ${TOKEN}` });
      if (path === '/api/proxy') return send(502, '<html>Bad gateway</html>');
      return send(404, { error: 'not_found', message: `No ${path}` });
    });
  });
}

async function failureOf(promise: Promise<unknown>): Promise<AdminApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AdminApiError) return error;
    throw error;
  }
  assert.fail('expected an AdminApiError');
}

describe('createAdminClient', () => {
  const seen: { method?: string; url?: string; authorization?: string; body?: string }[] = [];
  const server = cannedServer(seen);
  let url = '';

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('sends the bearer token and query, takes the URL from LOCKSTEP_URL', async () => {
    const client = createAdminClient({}, { LOCKSTEP_URL: url, LOCKSTEP_ADMIN_TOKEN: TOKEN });
    assert.deepEqual(await client.get('/tenants', { tenant: 'a b', skipped: undefined }), { items: [] });
    assert.equal(seen.at(-1)?.url, '/api/tenants?tenant=a+b');
    assert.equal(seen.at(-1)?.authorization, `Bearer ${TOKEN}`);
  });

  it('options win over the environment', async () => {
    const client = createAdminClient(
      { url, token: 'lsa_other' },
      { LOCKSTEP_URL: 'http://127.0.0.1:1', LOCKSTEP_ADMIN_TOKEN: TOKEN },
    );
    await client.get('/tenants');
    assert.equal(seen.at(-1)?.authorization, 'Bearer lsa_other');
  });

  it('maps answers to kinds, with fields, references and Retry-After', async () => {
    const client = createAdminClient({ url, token: TOKEN }, {});
    const invalid = await failureOf(client.post('/invalid', { tokenTtlSeconds: 5 }));
    assert.equal(invalid.kind, 'invalid');
    assert.equal(invalid.message, 'Invalid input:');
    assert.deepEqual(invalid.fields, [
      { path: 'body.tokenTtlSeconds', message: 'Too small: expected >=900' },
    ]);
    const referenced = await failureOf(client.delete('/referenced'));
    assert.equal(referenced.kind, 'conflict');
    assert.equal(referenced.references[0]?.name, 'RAM');
    const busy = await failureOf(client.get('/busy'));
    assert.equal(busy.kind, 'rate_limited');
    assert.equal(busy.retryAfter, '7');
    assert.match(busy.message, /7 s/);
    assert.equal((await failureOf(client.get('/forbidden'))).kind, 'forbidden');
    assert.equal((await failureOf(client.get('/nothing'))).kind, 'not_found');
    const proxy = await failureOf(client.get('/proxy'));
    assert.equal(proxy.kind, 'failure');
    assert.match(proxy.message, /502/);
  });

  it('never repeats the token, even when the server echoes it', async () => {
    const refused = await failureOf(createAdminClient({ url, token: TOKEN }, {}).get('/refused'));
    assert.equal(refused.kind, 'unauthorized');
    assert.doesNotMatch(refused.message, /secretsecret/);
    assert.match(refused.message, /LOCKSTEP_ADMIN_TOKEN/);
  });

  it('names the URL when the server is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await failureOf(
      createAdminClient({ url: `http://127.0.0.1:${port}`, token: TOKEN }, {}).get('/tenants'),
    );
    assert.equal(failure.kind, 'unreachable');
    assert.match(failure.message, new RegExp(`http://127\\.0\\.0\\.1:${port}.*lockstep serve`));
  });

  it('refuses a missing token, a bad URL and credentials in the URL as configuration errors', () => {
    assert.throws(() => createAdminClient({ url }, {}), { kind: 'config' });
    assert.throws(() => createAdminClient({ url: 'not a url', token: TOKEN }, {}), { kind: 'config' });
    assert.throws(() => createAdminClient({ url: 'ftp://host', token: TOKEN }, {}), { kind: 'config' });
    assert.throws(() => createAdminClient({ url: 'http://me:pw@host', token: TOKEN }, {}), {
      kind: 'config',
    });
  });
});

describe('reportFailure', () => {
  it('gives each kind its exit code', () => {
    const original = console.error;
    const lines: string[] = [];
    console.error = (line: string) => lines.push(line);
    try {
      assert.equal(reportFailure(new AdminApiError('not_found', 'x')), EXIT.notFound);
      assert.equal(reportFailure(new AdminApiError('forbidden', 'x')), EXIT.unauthorized);
      assert.equal(reportFailure(new AdminApiError('rate_limited', 'x')), EXIT.rateLimited);
      assert.equal(reportFailure(new AdminApiError('unreachable', 'x')), EXIT.unreachable);
      assert.equal(reportFailure(new AdminApiError('config', 'x')), EXIT.config);
      lines.length = 0;
      const conflict = new AdminApiError('conflict', 'Tenant "acme" is still referenced', {
        references: [{ kind: 'provisioning', id: 'p1', name: 'RAM' }],
      });
      assert.equal(reportFailure(conflict), EXIT.conflict);
      assert.deepEqual(lines, [
        'Error: Tenant "acme" is still referenced',
        'Still referenced by:',
        '  provisioning "RAM" (p1)',
      ]);
      lines.length = 0;
      const invalid = new AdminApiError('invalid', 'Invalid body', {
        fields: [{ path: 'body.id', message: 'bad' }],
      });
      assert.equal(reportFailure(invalid), EXIT.usage);
      assert.deepEqual(lines, ['Error: Invalid body', '  body.id: bad']);
    } finally {
      console.error = original;
    }
  });
});
