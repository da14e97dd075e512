import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SigningKeyTable } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { TOKEN_TTL } from '../app-service.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

export const SIGNING_ALGORITHM = 'ES256';
/** A retired key stays published (and accepted) while tokens it signed can still be alive. */
const RETIRED_KEY_GRACE_MS = (TOKEN_TTL.max + 300) * 1000;
/** An unknown `kid` makes the verifier reload keys (another process rotated), at most this often. */
const RELOAD_INTERVAL_MS = 1_000;

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;
type SignKey = VerifyKey;

export interface SigningKeyInfo {
  readonly kid: string;
  readonly alg: string;
  readonly status: 'active' | 'retired';
  readonly createdAt: string;
  readonly retiredAt: string | null;
}

/**
 * The keys that sign access tokens: one active ES256 key, plus retired ones kept for verification
 * until every token they signed has expired. Private keys are sealed at rest with the service's secret
 * key. Rotation is automatic (`rotationDays`) and on demand; other processes pick a new key up when a
 * token names a `kid` they do not know.
 */
export function createSigningKeys(storage: Storage, box: SecretBox, options: { rotationDays: number }) {
  let signing: { kid: string; key: SignKey } | undefined;
  let verifying = new Map<string, VerifyKey>();
  let published: JWK[] = [];
  let loadedAt = 0;

  const rows = () =>
    storage.db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid').execute();

  async function load(): Promise<void> {
    const now = Date.now();
    const keys = (await rows()).filter(
      (row) => row.status === 'active' || Date.parse(row.retired_at ?? '') + RETIRED_KEY_GRACE_MS > now,
    );
    const next = new Map<string, VerifyKey>();
    const jwks: JWK[] = [];
    for (const row of keys) {
      const jwk = JSON.parse(row.public_jwk) as JWK;
      next.set(row.kid, (await importJWK(jwk, row.alg)) as VerifyKey);
      jwks.push({ ...jwk, kid: row.kid, alg: row.alg, use: 'sig' });
    }
    const active = keys.find((row) => row.status === 'active');
    signing =
      active === undefined
        ? undefined
        : {
            kid: active.kid,
            key: (await importJWK(
              JSON.parse(box.open(active.private_jwk_sealed)) as JWK,
              active.alg,
            )) as SignKey,
          };
    verifying = next;
    published = jwks;
    loadedAt = now;
  }

  async function rotate(): Promise<SigningKeyInfo> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    const now = new Date().toISOString();
    const row: SigningKeyTable = {
      kid: randomBytes(12).toString('base64url'),
      alg: SIGNING_ALGORITHM,
      public_jwk: JSON.stringify(await exportJWK(publicKey)),
      private_jwk_sealed: box.seal(JSON.stringify(await exportJWK(privateKey))),
      status: 'active',
      created_at: now,
      retired_at: null,
    };
    await storage.write(async (trx) => {
      await trx
        .updateTable('signing_keys')
        .set({ status: 'retired', retired_at: now })
        .where('status', '=', 'active')
        .execute();
      await trx
        .deleteFrom('signing_keys')
        .where('status', '=', 'retired')
        .where('retired_at', '<', new Date(Date.now() - RETIRED_KEY_GRACE_MS).toISOString())
        .execute();
      await trx.insertInto('signing_keys').values(row).execute();
    });
    await load();
    return toInfo(row);
  }

  return {
    /** Creates the first key, or rotates one older than the rotation period; then loads the keys. */
    async start(): Promise<void> {
      const active = (await rows()).find((row) => row.status === 'active');
      const maxAgeMs = options.rotationDays * 86_400_000;
      if (active === undefined || Date.parse(active.created_at) + maxAgeMs < Date.now()) await rotate();
      else await load();
    },
    rotate,
    async signingKey(): Promise<{ kid: string; key: SignKey }> {
      if (signing === undefined || Date.now() - loadedAt > 60_000) await load();
      if (signing === undefined) await rotate();
      return signing as { kid: string; key: SignKey };
    },
    /** The verification key for `kid`, reloading once when another process may have rotated. */
    async verificationKey(kid: string | undefined): Promise<VerifyKey | undefined> {
      if (kid === undefined) return undefined;
      const known = verifying.get(kid);
      if (known !== undefined) return known;
      if (Date.now() - loadedAt > RELOAD_INTERVAL_MS) await load();
      return verifying.get(kid);
    },
    /** The JSON Web Key Set: every key whose tokens may still be presented. @see RFC 7517 §5 */
    jwks: (): { keys: JWK[] } => ({ keys: published }),
    list: async (): Promise<SigningKeyInfo[]> => (await rows()).map(toInfo),
  };
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;

function toInfo(row: SigningKeyTable): SigningKeyInfo {
  return {
    kid: row.kid,
    alg: row.alg,
    status: row.status,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}
