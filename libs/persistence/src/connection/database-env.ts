import Joi from 'joi';
import { envList, envPort, envPositive } from '@carthub/util';
import { DATABASE_DEFAULTS, DatabaseTuning } from './database-settings';
import { SSL_MODES, SslMode } from './database-tls';

/** The environment variables that name and tune the database, shared by every app. */
export const databaseEnvKeys = {
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }),
  DB_SECRET_ARN: Joi.string().pattern(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/, 'secret ARN'),
  DB_HOST: Joi.string(),
  DB_PORT: envPort().default(5432),
  DB_NAME: Joi.string().default('carthub'),
  DB_USERNAME: Joi.string().default('postgres'),
  DB_PASSWORD: Joi.string().allow('').default(''),
  DB_POOL_MAX: envPositive().max(200).default(DATABASE_DEFAULTS.poolMax),
  DB_CONNECT_TIMEOUT_MS: envPositive().max(60_000).default(DATABASE_DEFAULTS.connectTimeoutMs),
  DB_STATEMENT_TIMEOUT_MS: envPositive().max(3_600_000).default(DATABASE_DEFAULTS.statementTimeoutMs),
  // TLS, when DATABASE_URL does not say it with sslmode / sslrootcert: a mode, and a CA bundle file (e.g. RDS's).
  DB_SSL_MODE: Joi.string().valid(...SSL_MODES),
  DB_SSL_CA: Joi.string(),
};

/**
 * Read replicas, for the API alone: the migrator and the relay write, or read
 * what they just wrote. A replica URL without user and password uses the
 * primary's, so the list can sit in a ConfigMap while credentials stay in the Secret.
 */
export const readReplicaEnvKeys = {
  DB_READ_REPLICA_URLS: envList(Joi.string().uri({ scheme: ['postgres', 'postgresql'] }), 'a postgres:// URL'),
  // How often replica lag is sampled, and how soon a replica that failed is tried again.
  DB_REPLICA_CHECK_INTERVAL_MS: envPositive().min(100).max(60_000).default(5_000),
  // How long a read waits for a replica a moment behind before the primary answers it.
  DB_REPLICA_MAX_WAIT_MS: Joi.number().integer().min(0).max(1_000).default(10),
};

export interface ReadReplicaEnv {
  readonly urls: readonly string[];
  readonly checkIntervalMs: number;
  readonly maxWaitMs: number;
}

/** Reads values validated by `readReplicaEnvKeys`. */
export function readReplicaEnvFrom(value: Record<string, unknown>): ReadReplicaEnv {
  return {
    urls: value['DB_READ_REPLICA_URLS'] as string[],
    checkIntervalMs: Number(value['DB_REPLICA_CHECK_INTERVAL_MS']),
    maxWaitMs: Number(value['DB_REPLICA_MAX_WAIT_MS']),
  };
}

/** Use one way of naming the database, never two. */
export const DATABASE_SOURCES = ['DATABASE_URL', 'DB_HOST', 'DB_SECRET_ARN'] as const;

/** The database as the environment names it: `DatabaseSettings` once the URL is known, with every default applied. */
export interface DatabaseEnv extends DatabaseTuning {
  /** Where to connect; undefined when no variable names a database (or it comes from DB_SECRET_ARN). */
  readonly url?: string;
  /** AWS Secrets Manager secret holding the credentials, read at start-up. */
  readonly secretArn?: string;
  /** TLS settings added to whichever URL the database ends up with. */
  readonly tls?: { readonly mode?: SslMode; readonly caFile?: string };
}

/** Reads values validated by `databaseEnvKeys` (DATABASE_URL wins; else DB_* parts make the URL). */
export function databaseEnvFrom(value: Record<string, string | number | undefined>): DatabaseEnv {
  return {
    url:
      typeof value['DATABASE_URL'] === 'string'
        ? value['DATABASE_URL']
        : value['DB_HOST']
          ? urlFromParts(value)
          : undefined,
    secretArn: typeof value['DB_SECRET_ARN'] === 'string' ? value['DB_SECRET_ARN'] : undefined,
    tls: { mode: value['DB_SSL_MODE'] as SslMode | undefined, caFile: value['DB_SSL_CA'] as string | undefined },
    poolMax: Number(value['DB_POOL_MAX']),
    connectTimeoutMs: Number(value['DB_CONNECT_TIMEOUT_MS']),
    statementTimeoutMs: Number(value['DB_STATEMENT_TIMEOUT_MS']),
  };
}

function urlFromParts(value: Record<string, string | number | undefined>): string {
  return postgresUrl({
    host: String(value['DB_HOST']),
    port: value['DB_PORT'] ?? 5432,
    database: String(value['DB_NAME']),
    user: String(value['DB_USERNAME']),
    password: String(value['DB_PASSWORD']),
  });
}

/** A connection URL from its parts, each encoded as the URL needs (passwords may hold @, /, :). */
export function postgresUrl(parts: {
  host: string;
  port: string | number;
  database: string;
  user: string;
  password: string;
}) {
  const url = new URL('postgres://localhost');
  url.hostname = parts.host;
  url.port = String(parts.port);
  url.pathname = `/${parts.database}`;
  url.username = parts.user;
  url.password = parts.password;
  return url.toString();
}
