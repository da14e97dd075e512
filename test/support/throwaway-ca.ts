import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A throw-away certificate authority and a server certificate it signed (EC P-256, valid for two
 * days, SAN `IP:127.0.0.1` and `DNS:localhost`), written as PEM files for a test server such as slapd.
 * Built with node:crypto and a minimal DER encoder, so the tests need no `openssl` binary and no
 * child process.
 */
export interface ThrowawayCa {
  readonly caCertificate: string;
  readonly caCertificateFile: string;
  readonly serverCertificateFile: string;
  readonly serverKeyFile: string;
}

const der = (tag: number, content: Buffer): Buffer => {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
};
const sequence = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
const explicit = (tagNumber: number, inner: Buffer) => der(0xa0 + tagNumber, inner);
/**
 * A non-negative INTEGER in minimal DER (X.690 §8.3.2): leading zero bytes dropped, one put back where
 * the top bit would read as a sign. A random serial starting with 0x00 (1 in 256) was sent padded, and
 * OpenSSL refused the certificate ("illegal padding").
 */
export const derInteger = (value: Buffer) => {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const minimal = value.subarray(start);
  return der(0x02, (minimal[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), minimal]) : minimal);
};
const bitString = (content: Buffer, unusedBits = 0) =>
  der(0x03, Buffer.concat([Buffer.of(unusedBits), content]));
const octetString = (content: Buffer) => der(0x04, content);
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const TRUE = der(0x01, Buffer.of(0xff));

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      chunk.unshift(0x80 | (value & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = `${date.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`;
  return der(0x17, Buffer.from(text, 'ascii'));
}

const name = (commonName: string) => sequence(set(sequence(oid('2.5.4.3'), utf8(commonName))));
const extension = (id: string, critical: boolean, value: Buffer) =>
  sequence(oid(id), ...(critical ? [TRUE] : []), octetString(value));
const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

interface CertificateRequest {
  readonly subject: string;
  readonly issuer: string;
  readonly publicKeyDer: Buffer;
  readonly signingKeyPem: string;
  readonly extensions: Buffer[];
}

function createCertificate(request: CertificateRequest): string {
  const now = Date.now();
  const tbs = sequence(
    explicit(0, derInteger(Buffer.of(2))),
    derInteger(randomBytes(12)),
    ECDSA_WITH_SHA256,
    name(request.issuer),
    sequence(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 2 * 86_400_000))),
    name(request.subject),
    request.publicKeyDer,
    explicit(3, sequence(...request.extensions)),
  );
  const signature = sign('sha256', tbs, createPrivateKey(request.signingKeyPem));
  const certificate = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const base64 = certificate.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

function createKeyPair() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { keyPem, publicKeyDer };
}

/** Writes `ca.crt`, `server.crt` and `server.key` into `dir` (created). */
export async function createThrowawayCa(dir: string): Promise<ThrowawayCa> {
  await mkdir(dir, { recursive: true });
  const ca = createKeyPair();
  const caName = 'Lockstep throw-away test CA';
  const caCertificate = createCertificate({
    subject: caName,
    issuer: caName,
    publicKeyDer: ca.publicKeyDer,
    signingKeyPem: ca.keyPem,
    extensions: [
      extension('2.5.29.19', true, sequence(TRUE)), // basicConstraints CA:TRUE
      extension('2.5.29.15', true, bitString(Buffer.of(0x06), 1)), // keyCertSign, cRLSign
    ],
  });
  const server = createKeyPair();
  const serverCertificate = createCertificate({
    subject: '127.0.0.1',
    issuer: caName,
    publicKeyDer: server.publicKeyDer,
    signingKeyPem: ca.keyPem,
    extensions: [
      extension('2.5.29.19', true, sequence()), // basicConstraints CA:FALSE
      extension('2.5.29.15', true, bitString(Buffer.of(0x80), 7)), // digitalSignature
      extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
      // subjectAltName: iPAddress 127.0.0.1 ([7]), dNSName localhost ([2])
      extension(
        '2.5.29.17',
        false,
        sequence(der(0x87, Buffer.of(127, 0, 0, 1)), der(0x82, Buffer.from('localhost'))),
      ),
    ],
  });
  const files = {
    caCertificateFile: join(dir, 'ca.crt'),
    serverCertificateFile: join(dir, 'server.crt'),
    serverKeyFile: join(dir, 'server.key'),
  };
  await writeFile(files.caCertificateFile, caCertificate);
  await writeFile(files.serverCertificateFile, serverCertificate);
  await writeFile(files.serverKeyFile, server.keyPem, { mode: 0o600 });
  return { caCertificate, ...files };
}
