import { resolve } from 'node:path';
import { ConfigError } from '@carthub/util';
import { DatabaseSettings, migrateDatabase, readReplicaUrls, resolveDatabaseUrl } from '@carthub/persistence';
import { startEmbeddedPostgres } from '@carthub/persistence/dev';
import { Logger } from '@carthub/http';
import { ApiConfig } from './config';

export interface Database {
  readonly settings: DatabaseSettings;
  /** Stops what start-up started (the embedded server); a configured database is left alone. */
  stop(): Promise<void>;
}

/**
 * The configured database, or with none configured a real PostgreSQL embedded
 * under EMBEDDED_PG_DIR, migrated like any other. A configured database is
 * migrated by the migrator, never by the API.
 */
export async function openDatabase(config: ApiConfig, logger: Logger): Promise<Database> {
  const tuning = {
    poolMax: config.database.poolMax,
    connectTimeoutMs: config.database.connectTimeoutMs,
    statementTimeoutMs: config.database.statementTimeoutMs,
    applicationName: 'carthub-api',
  };
  const url = await resolveDatabaseUrl(config.database);
  if (url) {
    const readReplicas = readReplicaUrls(url, config.readReplicas.urls, config.database.tls ?? {});
    return { settings: { url, readReplicaUrls: readReplicas, ...tuning }, stop: async () => undefined };
  }
  const wanted = resolve(config.embedded.dataDir);
  logger.info({ dataDir: wanted, port: config.embedded.port }, 'no DATABASE_URL: starting the embedded PostgreSQL');
  const server = await startEmbeddedPostgres({ dataDir: wanted, port: config.embedded.port, persistent: true }).catch(
    (error) => {
      // Production images leave out development dependencies, the embedded server among them.
      if (!['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((error as { code?: string }).code ?? '')) throw error;
      throw new ConfigError('No database configured: set DATABASE_URL, DB_HOST (with DB_*) or DB_SECRET_ARN');
    },
  );
  if (server.dataDir !== wanted) {
    logger.warn(
      { wanted, dataDir: server.dataDir },
      'the data folder is not reachable by the postgres user; using another',
    );
  }
  const settings = { url: server.urlFor('postgres'), ...tuning };
  const applied = await migrateDatabase(settings);
  logger.info({ applied }, 'embedded PostgreSQL ready');
  return { settings, stop: () => server.stop() };
}
