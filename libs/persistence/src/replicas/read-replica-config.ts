import { ConnectionOptions as TlsOptions } from 'node:tls';
import { Dictionary } from '@mikro-orm/core';
import { Options, PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { pgConnection, SslMode, withTls } from '../connection/database-tls';

/** The PostgreSQL driver with its read replicas in reach: routing a read picks one, and each is watched. */
export class ReplicaAwareDriver extends PostgreSqlDriver {
  readReplicas(): readonly PostgreSqlConnection[] {
    return this.replicas;
  }
}

/**
 * The replica URLs as they connect. A replica URL without a user takes the
 * primary's user and password, without a database the primary's database,
 * without `sslmode` the primary's TLS parameters (a replica is never reached
 * in plain text by accident); DB_SSL_MODE / DB_SSL_CA then apply as they do
 * to the primary.
 */
export function readReplicaUrls(
  primaryUrl: string,
  replicaUrls: readonly string[],
  tls: { mode?: SslMode; caFile?: string },
): string[] {
  const primary = new URL(primaryUrl);
  return replicaUrls.map((text) => {
    const url = new URL(text);
    if (!url.username) {
      url.username = primary.username;
      url.password = primary.password;
    }
    if (url.pathname === '' || url.pathname === '/') url.pathname = primary.pathname;
    if (!url.searchParams.has('sslmode')) {
      for (const param of ['sslmode', 'sslrootcert']) {
        const value = primary.searchParams.get(param);
        if (value !== null) url.searchParams.set(param, value);
      }
    }
    return withTls(url.toString(), tls);
  });
}

/**
 * What the ORM config adds for read replicas (MikroORM's read connections,
 * one pool each, named replica-1, replica-2, …); with none, nothing at all.
 * `driverOptions` gives a replica's connection settings for its TLS.
 */
export function readReplicaOptions(
  urls: readonly string[],
  driverOptions: (ssl: false | TlsOptions) => Dictionary,
): Partial<Options> {
  if (urls.length === 0) return {};
  return {
    driver: ReplicaAwareDriver,
    // Only ReplicaReads sends a query to a replica; everything else, the ORM's own finds included, stays on the primary.
    preferReadReplicas: false,
    replicas: urls.map((url, index) => {
      const { connectionString, ssl } = pgConnection(url);
      return { name: `replica-${index + 1}`, clientUrl: connectionString, driverOptions: driverOptions(ssl) };
    }),
  };
}
