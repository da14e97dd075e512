import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import { classifyLdapFailure, type LdapPhase } from './classify-ldap-failure.ts';
import {
  type LdapBaseDn,
  type LdapConnection,
  type LdapConnectionInput,
  parseLdapConnection,
} from './ldap-connection-schema.ts';
import { type LdapResult, LdapSourceError } from './ldap-source-error.ts';
import { buildIncrementalFilter, isValidWatermark, type LdapWatermark } from './ldap-watermark.ts';
import { type LdapEntry, normalizeLdapEntry } from './normalize-ldap-entry.ts';

export interface LdapReadOptions {
  /** Read only the entries changed since this watermark (an incremental read). */
  readonly since?: LdapWatermark;
}

export interface LdapReader {
  readonly connection: LdapConnection;
  /** Connects, binds and checks that every base DN exists and is not empty. Never throws. */
  verify(): Promise<LdapResult<void>>;
  /**
   * Streams the entries of every base DN in turn, each base with the paged-results control
   * (RFC 2696). Fails with an `LdapSourceError`: a connection, TLS, bind or base problem (missing,
   * or empty under its filter, which is checked even when reading incrementally) before the first
   * entry; a failure mid-read after some — the caller must apply nothing from a read that failed.
   */
  readEntries(options?: LdapReadOptions): AsyncGenerator<LdapEntry, void, undefined>;
}

/** Operational attributes OpenLDAP returns only when asked, and AD's counterparts. */
const withRequired = (connection: LdapConnection): string[] => {
  // memberOf: AD's back-link and OpenLDAP's memberof overlay; servers without it ignore the name.
  const wanted = [
    ...connection.attributes,
    'memberOf',
    connection.keyAttribute,
    connection.watermarkAttribute,
  ];
  const seen = new Set<string>();
  return wanted.filter((name) => {
    const lower = name.toLowerCase();
    if (seen.has(lower)) return false;
    seen.add(lower);
    return true;
  });
};

/** ldapts matches binary attribute names case-sensitively against the server's spelling. */
const bufferNames = (names: readonly string[]) => [
  ...new Set(names.flatMap((name) => [name, name.toLowerCase()])),
];

export function createLdapReader(input: LdapConnectionInput | LdapConnection): LdapReader {
  const connection = parseLdapConnection(input);
  const url = new URL(connection.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const tlsOptions: ConnectionOptions = {
    minVersion: 'TLSv1.2',
    ...(connection.caCertificate === undefined ? {} : { ca: [connection.caCertificate] }),
  };
  const attributes = withRequired(connection);
  const explicitBufferAttributes = bufferNames(connection.binaryAttributes);

  const fail = (error: unknown, phase: LdapPhase, baseDn?: string) =>
    classifyLdapFailure(error, {
      phase,
      url: connection.url,
      bindDn: connection.bindDn,
      bindPassword: connection.bindPassword,
      ...(baseDn === undefined ? {} : { baseDn }),
    });

  async function openBoundClient(): Promise<Client> {
    const client = new Client({
      url: connection.url,
      connectTimeout: connection.connectTimeoutMs,
      timeout: connection.operationTimeoutMs,
      // ldapts treats any tlsOptions as "connect with TLS": only ldaps:// gets them here.
      ...(url.protocol === 'ldaps:' ? { tlsOptions } : {}),
    });
    try {
      if (connection.startTls) {
        try {
          // Checks the certificate against `host` (an IP SAN for an address, the DNS name otherwise).
          await client.startTLS({ ...tlsOptions, host, ...(isIP(host) === 0 ? { servername: host } : {}) });
        } catch (error) {
          throw fail(error, 'starttls');
        }
      }
      try {
        await client.bind(connection.bindDn, connection.bindPassword);
      } catch (error) {
        throw fail(error, 'bind');
      }
      return client;
    } catch (error) {
      await closeClient(client);
      throw error;
    }
  }

  /** One entry at most: enough to tell a missing base (result 32) from an empty one. */
  async function checkBase(client: Client, base: LdapBaseDn): Promise<void> {
    let found: number;
    try {
      const result = await client.search(base.dn, {
        scope: base.scope,
        filter: base.filter,
        sizeLimit: 1,
        attributes: ['1.1'],
      });
      found = result.searchEntries.length;
    } catch (error) {
      throw fail(error, 'search', base.dn);
    }
    if (found === 0) {
      throw new LdapSourceError(
        'base_empty',
        `Base DN ${base.dn} (scope ${base.scope}, filter ${base.filter}) returned no entries on LDAP server ` +
          `${connection.url}; refusing to treat that as "everyone left"`,
      );
    }
  }

  async function* readBase(client: Client, base: LdapBaseDn, since: LdapWatermark | undefined) {
    const filter = since === undefined ? base.filter : buildIncrementalFilter(base.filter, since);
    try {
      const pages = client.searchPaginated(base.dn, {
        scope: base.scope,
        filter,
        attributes,
        explicitBufferAttributes,
        paged: { pageSize: connection.pageSize },
      });
      for await (const page of pages) {
        for (const raw of page.searchEntries) {
          const entry = normalizeLdapEntry(raw, connection.keyAttribute);
          if (entry.key === undefined) {
            throw new LdapSourceError(
              'missing_key',
              `Entry ${entry.dn} has no ${connection.keyAttribute}, the stable key; check keyAttribute`,
            );
          }
          yield { ...entry, key: entry.key };
        }
      }
    } catch (error) {
      throw fail(error, 'search', base.dn);
    }
  }

  return {
    connection,
    async verify() {
      let client: Client | undefined;
      try {
        client = await openBoundClient();
        for (const base of connection.baseDns) await checkBase(client, base);
        return { ok: true, value: undefined };
      } catch (error) {
        return { ok: false, error: fail(error, 'search') };
      } finally {
        if (client !== undefined) await closeClient(client);
      }
    },
    async *readEntries(options = {}) {
      const since = options.since;
      if (
        since !== undefined &&
        (since.attribute !== connection.watermarkAttribute || !isValidWatermark(since))
      ) {
        throw new LdapSourceError(
          'search_failed',
          `The watermark is not a valid ${connection.watermarkAttribute} value; run a full read`,
        );
      }
      const client = await openBoundClient();
      try {
        for (const base of connection.baseDns) await checkBase(client, base);
        for (const base of connection.baseDns) yield* readBase(client, base, since);
      } finally {
        await closeClient(client);
      }
    },
  };
}

async function closeClient(client: Client): Promise<void> {
  try {
    await client.unbind();
  } catch {
    // The connection is already gone; nothing to release.
  }
}
