import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSecretBox } from '../src/auth/secrets/secret-box.ts';
import { createTenantRepository } from '../src/auth/tenant-repository.ts';
import { createGroupService } from '../src/directory/group-service.ts';
import { createUserService } from '../src/directory/user-service.ts';
import { createLdapReader } from '../src/sources/ldap/ldap-reader.ts';
import { createSourceService } from '../src/sources/source-service.ts';
import { openStorage } from '../src/storage/open-storage.ts';
import { type Slapd, slapdUnavailable, startSlapd } from '../test/support/slapd.ts';

/**
 * `npm run bench:ldap`: seeds N inetOrgPerson entries into a throw-away slapd (offline, with
 * `slapadd -q`), then reads all of them with `createLdapReader` and with `ldapsearch` (paged the same
 * way, output discarded), alternating, and prints entries/s for both and the reader's ratio to
 * `ldapsearch` (the machine is shared and noisy; the ratio travels better than the absolute figure).
 * Then it imports them into the directory (an LDAP source run, full, through the source service:
 * read, map, plan, write every user through the user service and its outbox, on SQLite in a temp
 * file) and times a second, unchanged full run; the goal (≥ 2,000 entries/s) applies to the import.
 */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, '.bench');
const GOAL_ENTRIES_PER_SECOND = 2000;
const SUFFIX = 'dc=example,dc=test';
const PEOPLE = `ou=People,${SUFFIX}`;
const FILTER = '(objectClass=inetOrgPerson)';
/** What the reader asks for by default (all user attributes plus its key and watermark). */
const ATTRIBUTES = ['*', 'entryUUID', 'entryCSN'];

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '100000' },
    'page-size': { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '2' },
    'skip-import': { type: 'boolean', default: false },
  },
});
const entries = Number(values.entries);
const pageSize = Number(values['page-size']);
const rounds = Number(values.rounds);
if (![entries, pageSize, rounds].every((value) => Number.isInteger(value) && value > 0)) {
  console.error('Usage: npm run bench:ldap -- [--entries 100000] [--page-size 1000] [--rounds 2]');
  process.exit(2);
}

function buildSeedLdif(count: number): string {
  const parts = [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n`,
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: People\n`,
  ];
  for (let index = 0; index < count; index++) {
    const uid = `user${String(index).padStart(6, '0')}`;
    parts.push(
      `dn: uid=${uid},${PEOPLE}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: User ${index}\nsn: ${uid}\n` +
        `givenName: Given${index}\nmail: ${uid}@example.test\ntitle: Engineer\n` +
        `employeeNumber: ${index}\ntelephoneNumber: +1 555 ${String(index).padStart(7, '0')}\n`,
    );
  }
  return parts.join('\n');
}

async function readWithReader(slapd: Slapd): Promise<number> {
  const reader = createLdapReader({
    url: slapd.url,
    bindDn: slapd.rootDn,
    bindPassword: slapd.rootPassword,
    pageSize,
    baseDns: [{ dn: PEOPLE, filter: FILTER, scope: 'one' }],
  });
  let count = 0;
  for await (const _entry of reader.readEntries()) count++;
  return count;
}

function readWithLdapsearch(slapd: Slapd): Promise<void> {
  const args = ['-x', '-LLL', '-H', slapd.url, '-D', slapd.rootDn, '-w', slapd.rootPassword];
  args.push('-b', PEOPLE, '-s', 'one', '-E', `pr=${pageSize}/noprompt`, FILTER, ...ATTRIBUTES);
  return new Promise((resolve, reject) => {
    const child = spawn('ldapsearch', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ldapsearch exited ${code}: ${stderr.trim()}`)),
    );
  });
}

interface ImportFigures {
  readonly importSeconds: number;
  readonly unchangedSeconds: number;
}

/** An LDAP source run (full) into a fresh SQLite directory, then a second one that changes nothing. */
async function importIntoDirectory(slapd: Slapd): Promise<ImportFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-bench-ldap-'));
  const storage = await openStorage({ kind: 'sqlite', path: join(dir, 'lockstep.db') });
  try {
    const now = new Date().toISOString();
    await createTenantRepository(storage.db).insert({
      id: 'bench',
      display_name: 'bench',
      status: 'active',
      created_at: now,
      updated_at: now,
    });
    const users = createUserService(storage);
    const groups = createGroupService(storage);
    const sources = createSourceService({ storage, users, groups, box: createSecretBox(randomBytes(32)) });
    const source = await sources.createSource('bench', {
      name: 'bench',
      kind: 'ldap',
      config: {
        connection: {
          url: slapd.url,
          bindDn: slapd.rootDn,
          bindPassword: slapd.rootPassword,
          pageSize,
          baseDns: [{ dn: PEOPLE, filter: FILTER, scope: 'one' }],
        },
      },
    });
    const first = await time(() => sources.runSource('bench', source.id, { mode: 'full' }));
    if (!first.value.ok || first.value.stats.users.created !== entries)
      throw new Error(
        `The import did not create ${entries} users: ${JSON.stringify(first.value).slice(0, 500)}`,
      );
    const second = await time(() => sources.runSource('bench', source.id, { mode: 'full' }));
    if (!second.value.ok || second.value.stats.users.same !== entries)
      throw new Error(`The unchanged run was not a no-op: ${JSON.stringify(second.value.stats)}`);
    return { importSeconds: first.seconds, unchangedSeconds: second.seconds };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function time<T>(action: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await action();
  return { seconds: (performance.now() - started) / 1000, value };
}

async function main(): Promise<void> {
  const unavailable = slapdUnavailable();
  if (unavailable !== undefined) {
    console.error(`bench:ldap needs OpenLDAP's slapd and ldap-utils: ${unavailable}`);
    process.exit(1);
  }
  const startedAt = new Date().toISOString();
  console.log(`Seeding ${entries} entries with slapadd -q…`);
  const ldif = buildSeedLdif(entries);
  const seeding = await time(() => startSlapd({ seedLdif: ldif }));
  const slapd = seeding.value;
  const stop = () => slapd.remove();
  process.once('SIGINT', () => {
    void stop().then(() => process.exit(130));
  });
  try {
    const readerSeconds: number[] = [];
    const ldapsearchSeconds: number[] = [];
    for (let round = 0; round < rounds; round++) {
      ldapsearchSeconds.push((await time(() => readWithLdapsearch(slapd))).seconds);
      const read = await time(() => readWithReader(slapd));
      if (read.value !== entries) throw new Error(`The reader read ${read.value} entries, not ${entries}`);
      readerSeconds.push(read.seconds);
    }
    const best = (list: number[]) => Math.min(...list);
    const readerRate = entries / best(readerSeconds);
    const ldapsearchRate = entries / best(ldapsearchSeconds);
    const ratio = readerRate / ldapsearchRate;
    if (!values['skip-import']) console.log(`Importing ${entries} entries into the directory (SQLite)…`);
    const imported = values['skip-import'] ? undefined : await importIntoDirectory(slapd);
    const importRate = imported === undefined ? undefined : entries / imported.importSeconds;
    const unchangedRate = imported === undefined ? undefined : entries / imported.unchangedSeconds;
    const met = (importRate ?? readerRate) >= GOAL_ENTRIES_PER_SECOND;
    const rows = [
      ['reader', 'entries', 'best s', 'entries/s', 'rounds (s)'],
      [
        'createLdapReader',
        String(entries),
        best(readerSeconds).toFixed(2),
        readerRate.toFixed(0),
        readerSeconds.map((s) => s.toFixed(2)).join(' '),
      ],
      [
        'ldapsearch -LLL',
        String(entries),
        best(ldapsearchSeconds).toFixed(2),
        ldapsearchRate.toFixed(0),
        ldapsearchSeconds.map((s) => s.toFixed(2)).join(' '),
      ],
      ...(imported === undefined || importRate === undefined || unchangedRate === undefined
        ? []
        : [
            [
              'import (full run, new)',
              String(entries),
              imported.importSeconds.toFixed(2),
              importRate.toFixed(0),
              imported.importSeconds.toFixed(2),
            ],
            [
              'import (full run, same)',
              String(entries),
              imported.unchangedSeconds.toFixed(2),
              unchangedRate.toFixed(0),
              imported.unchangedSeconds.toFixed(2),
            ],
          ]),
    ];
    const widths =
      rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
    const format = (row: string[]) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd();
    console.log(
      [
        '',
        format(rows[0] ?? []),
        widths.map((width) => '-'.repeat(width)).join('  '),
        ...rows.slice(1).map(format),
        '',
        `page size ${pageSize}, attributes ${ATTRIBUTES.join(' ')}, best of ${rounds} rounds each, alternating`,
        `reader / ldapsearch: ${ratio.toFixed(2)}×`,
        ...(importRate === undefined
          ? []
          : [`import / ldapsearch: ${(importRate / ldapsearchRate).toFixed(2)}× (one round)`]),
        `goal ≥ ${GOAL_ENTRIES_PER_SECOND} entries/s (${importRate === undefined ? 'reader' : 'import'}): ${met ? 'yes' : 'NO'}`,
        `seeding (slapadd -q + slapd start): ${seeding.seconds.toFixed(1)} s`,
      ].join('\n'),
    );
    mkdirSync(RESULTS_DIR, { recursive: true });
    const path = join(RESULTS_DIR, `ldap-${startedAt.replace(/[:.]/g, '-')}.json`);
    const report = {
      startedAt,
      settings: { entries, pageSize, rounds, attributes: ATTRIBUTES },
      environment: { node: process.version, cpus: cpus().length, loadavg: loadavg() },
      seedingSeconds: seeding.seconds,
      reader: { seconds: readerSeconds, entriesPerSecond: readerRate },
      ldapsearch: { seconds: ldapsearchSeconds, entriesPerSecond: ldapsearchRate },
      ratio,
      ...(imported === undefined
        ? {}
        : {
            import: {
              seconds: imported.importSeconds,
              entriesPerSecond: importRate,
              unchangedSeconds: imported.unchangedSeconds,
              unchangedEntriesPerSecond: unchangedRate,
              ratioToLdapsearch: (importRate ?? 0) / ldapsearchRate,
            },
          }),
      goal: { entriesPerSecond: GOAL_ENTRIES_PER_SECOND, met },
    };
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report: ${path}`);
    if (!met) process.exitCode = 1;
  } finally {
    await stop();
  }
}

await main();
