/**
 * Two Lockstep processes on one PostgreSQL database: a credential revoked through one stops working
 * in the other at once — well inside the 1 s that the other would otherwise trust its cached standing —
 * because the change travels by NOTIFY (decision 0008).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { type Application, createApplication } from '../../src/http/create-application.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import { withMigrationLock } from '../../src/storage/dialects/postgres/migration-lock.ts';
import { openStorage, type Storage } from '../../src/storage/open-storage.ts';
import { postgresTestUrl } from '../support/postgres-probe.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const postgres = dialects.some((dialect) => dialect.name === 'postgres');

describe('credential changes reach every process (postgres)', {
  skip: postgres ? false : 'PostgreSQL is not reachable',
}, () => {
  const url = postgresTestUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const secretKey = randomBytes(32);
  let one: Storage;
  let two: Storage;
  let first: Application;
  let second: Application;
  before(async () => {
    one = await openStorage({ kind: 'postgres', url, schema, poolSize: 2 });
    two = await openStorage({ kind: 'postgres', url, schema, poolSize: 2 });
    const config = loadConfig({ LOCKSTEP_PUBLIC_URL: 'https://scim.example.test' });
    const logger = createLogger({ level: 'silent' });
    first = await createApplication(one, config, logger, { secretKey });
    second = await createApplication(two, config, logger, { secretKey });
  });
  after(async () => {
    await first.close();
    await second.close();
    await withMigrationLock(url, () =>
      sql`drop schema if exists ${sql.raw(schema)} cascade`.execute(one.db),
    ).catch(() => {});
    await one.close();
    await two.close();
  });

  it('an app disabled in one process is refused by the other within 300 ms', async () => {
    await first.auth.tenants.createTenant('acme');
    const { app, secret } = await first.auth.apps.createApp('acme', { name: 'x', secretAsBearer: true });
    const get = () =>
      second.app.inject({
        method: 'GET',
        url: '/t/acme/scim/v2/Users',
        headers: { authorization: `Bearer ${secret.value}` },
      });
    assert.equal((await get()).statusCode, 200);
    await first.auth.apps.updateApp('acme', app.id, { status: 'disabled' });
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 300) {
      status = (await get()).statusCode;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(status, 401, 'the second process still accepted the disabled app');
  });
});
