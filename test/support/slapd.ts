import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createThrowawayCa, type ThrowawayCa } from './throwaway-ca.ts';

/**
 * A throw-away OpenLDAP `slapd` for the LDAP source tests: its own cn=config (generated with
 * `slapadd -n0`), an mdb database under a temp directory, 127.0.0.1 listeners on free ports
 * (ldap:// always, ldaps:// and StartTLS when TLS is asked for), stopped with SIGTERM and removed.
 */
const SLAPD = process.env.LOCKSTEP_SLAPD ?? '/usr/sbin/slapd';
const SLAPADD = process.env.LOCKSTEP_SLAPADD ?? '/usr/sbin/slapadd';
const LDAPADD = '/usr/bin/ldapadd';
const MODULE_PATH = '/usr/lib/ldap';
const SCHEMA_DIR = '/etc/ldap/schema';
const SCHEMAS = ['core', 'cosine', 'nis', 'inetorgperson'];

export const SLAPD_SUFFIX = 'dc=example,dc=test';
export const SLAPD_ROOT_DN = `cn=admin,${SLAPD_SUFFIX}`;

/** Undefined when a throw-away slapd can be started here; otherwise why not (one line). */
export function slapdUnavailable(): string | undefined {
  for (const path of [SLAPD, SLAPADD, LDAPADD]) if (!existsSync(path)) return `${path} is missing`;
  for (const name of SCHEMAS) {
    const path = join(SCHEMA_DIR, `${name}.ldif`);
    if (!existsSync(path)) return `${path} is missing`;
  }
  if (!existsSync(join(MODULE_PATH, 'back_mdb.so'))) return `${MODULE_PATH}/back_mdb.so is missing`;
  return undefined;
}

export function slapdAvailable(): boolean {
  return slapdUnavailable() === undefined;
}

/**
 * For `describe(..., { skip: slapdSkipReason() })`: false when slapd is here, the one-line reason to
 * skip otherwise; throws when `LOCKSTEP_REQUIRE_SLAPD=1` (CI), so a missing slapd fails instead.
 */
export function slapdSkipReason(): string | false {
  const reason = slapdUnavailable();
  if (reason === undefined) return false;
  if (process.env.LOCKSTEP_REQUIRE_SLAPD === '1') {
    throw new Error(`${reason}; LOCKSTEP_REQUIRE_SLAPD=1 requires the OpenLDAP tests`);
  }
  return `no OpenLDAP slapd here (${reason}); install slapd and ldap-utils to run the LDAP tests`;
}

export interface SlapdOptions {
  /** Also listen on ldaps:// and offer StartTLS, with a certificate from a throw-away CA. */
  readonly tls?: boolean;
  /** LDIF loaded offline with `slapadd -q` before start (the fast way to seed many entries). */
  readonly seedLdif?: string;
  readonly rootPassword?: string;
  /**
   * The size limit for bound users other than the root DN (like a real server's default of 500): a
   * search past it fails unless paged (paged searches are not limited in total).
   */
  readonly sizeLimit?: number;
}

export interface Slapd {
  readonly suffix: string;
  readonly rootDn: string;
  readonly rootPassword: string;
  readonly port: number;
  /** `ldap://127.0.0.1:<port>` */
  readonly url: string;
  /** `ldaps://127.0.0.1:<port>` when started with TLS. */
  readonly ldapsUrl: string | undefined;
  /** The throw-away CA's certificate (PEM) when started with TLS. */
  readonly caCertificate: string | undefined;
  /** Adds entries online with `ldapadd` (bound as the root DN). */
  addLdif(ldif: string): Promise<void>;
  /** Stops slapd (SIGTERM, then SIGKILL) and waits for it to exit; the data stays until `remove`. */
  stop(): Promise<void>;
  /** Stops slapd and removes its directory. */
  remove(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asks the kernel for one, then releases it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function buildConfigLdif(
  dir: string,
  options: SlapdOptions & { rootPassword: string },
  ca?: ThrowawayCa,
): string {
  const tls = ca
    ? [
        `olcTLSCACertificateFile: ${ca.caCertificateFile}`,
        `olcTLSCertificateFile: ${ca.serverCertificateFile}`,
        `olcTLSCertificateKeyFile: ${ca.serverKeyFile}`,
      ]
    : [];
  const schemaIncludes = SCHEMAS.map((name) => `include: file://${join(SCHEMA_DIR, `${name}.ldif`)}`);
  return [
    'dn: cn=config',
    'objectClass: olcGlobal',
    'cn: config',
    `olcPidFile: ${join(dir, 'slapd.pid')}`,
    'olcLogLevel: none',
    ...tls,
    '',
    'dn: cn=module{0},cn=config',
    'objectClass: olcModuleList',
    'cn: module{0}',
    `olcModulePath: ${MODULE_PATH}`,
    'olcModuleLoad: back_mdb',
    '',
    'dn: cn=schema,cn=config',
    'objectClass: olcSchemaConfig',
    'cn: schema',
    '',
    ...schemaIncludes.flatMap((line) => [line, '']),
    'dn: olcDatabase={-1}frontend,cn=config',
    'objectClass: olcDatabaseConfig',
    'objectClass: olcFrontendConfig',
    'olcDatabase: {-1}frontend',
    'olcSizeLimit: unlimited',
    '',
    'dn: olcDatabase={0}config,cn=config',
    'objectClass: olcDatabaseConfig',
    'olcDatabase: {0}config',
    'olcAccess: {0}to * by * none',
    '',
    'dn: olcDatabase={1}mdb,cn=config',
    'objectClass: olcDatabaseConfig',
    'objectClass: olcMdbConfig',
    'olcDatabase: {1}mdb',
    `olcDbDirectory: ${join(dir, 'data')}`,
    `olcSuffix: ${SLAPD_SUFFIX}`,
    `olcRootDN: ${SLAPD_ROOT_DN}`,
    `olcRootPW: ${options.rootPassword}`,
    'olcDbMaxSize: 4294967296',
    'olcDbNoSync: TRUE',
    'olcDbIndex: objectClass eq',
    'olcDbIndex: entryUUID eq',
    'olcDbIndex: entryCSN eq',
    'olcAccess: {0}to attrs=userPassword by anonymous auth by * none',
    'olcAccess: {1}to * by users read by * none',
    ...(options.sizeLimit === undefined
      ? []
      : [
          `olcLimits: users size.soft=${options.sizeLimit} size.hard=${options.sizeLimit} size.prtotal=unlimited`,
        ]),
    '',
  ].join('\n');
}

function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise<void>((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`slapd exited (${child.exitCode ?? child.signalCode}): ${output()}`));
        return;
      }
      const socket = createConnection(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`slapd did not listen on ${port}: ${output()}`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

async function slapadd(configDir: string, args: string[], ldif: string): Promise<void> {
  const child = spawn(SLAPADD, ['-F', configDir, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  child.stdin.end(ldif);
  const code = await exited;
  if (code !== 0) throw new Error(`slapadd ${args.join(' ')} failed (${code}): ${stderr.trim()}`);
}

/** Starts a throw-away slapd; call `remove()` when done (an `after` hook). */
export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const reason = slapdUnavailable();
  if (reason !== undefined) throw new Error(`Cannot start slapd: ${reason}`);
  const rootPassword = options.rootPassword ?? 'root-secret';
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-slapd-'));
  let child: ChildProcess | undefined;
  try {
    const configDir = join(dir, 'slapd.d');
    await mkdir(configDir);
    await mkdir(join(dir, 'data'));
    const ca = options.tls ? await createThrowawayCa(join(dir, 'tls')) : undefined;
    await slapadd(configDir, ['-n', '0'], buildConfigLdif(dir, { ...options, rootPassword }, ca));
    if (options.seedLdif !== undefined) {
      await slapadd(configDir, ['-n', '1', '-q'], options.seedLdif);
    }
    const port = await findFreePort();
    const ldapsPort = ca ? await findFreePort() : undefined;
    const urls = [`ldap://127.0.0.1:${port}/`];
    if (ldapsPort !== undefined) urls.push(`ldaps://127.0.0.1:${ldapsPort}/`);
    // `-d 0`: stay in the foreground (a child we can kill) without debug output.
    const started = spawn(SLAPD, ['-F', configDir, '-h', urls.join(' '), '-d', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    await waitForPort(port, started, () => stderr.trim());
    if (ldapsPort !== undefined) await waitForPort(ldapsPort, started, () => stderr.trim());

    let removed: Promise<void> | undefined;
    const stop = async () => {
      if (started.exitCode === null && started.signalCode === null) {
        started.kill('SIGTERM');
        const timer = setTimeout(() => started.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    };
    return {
      suffix: SLAPD_SUFFIX,
      rootDn: SLAPD_ROOT_DN,
      rootPassword,
      port,
      url: `ldap://127.0.0.1:${port}`,
      ldapsUrl: ldapsPort === undefined ? undefined : `ldaps://127.0.0.1:${ldapsPort}`,
      caCertificate: ca?.caCertificate,
      async addLdif(ldif: string) {
        await writeFile(join(dir, 'root.pw'), rootPassword, { mode: 0o600 });
        const child = spawn(
          LDAPADD,
          ['-x', '-H', `ldap://127.0.0.1:${port}`, '-D', SLAPD_ROOT_DN, '-y', join(dir, 'root.pw')],
          { stdio: ['pipe', 'ignore', 'pipe'] },
        );
        let err = '';
        child.stderr.on('data', (chunk: Buffer) => {
          err += chunk.toString();
        });
        const code = await new Promise<number | null>((resolve, reject) => {
          child.once('error', reject);
          child.once('close', resolve);
          child.stdin.end(ldif);
        });
        if (code !== 0) throw new Error(`ldapadd failed (${code}): ${err.trim()}`);
      },
      stop,
      remove() {
        removed ??= (async () => {
          await stop();
          await rm(dir, { recursive: true, force: true });
        })();
        return removed;
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
