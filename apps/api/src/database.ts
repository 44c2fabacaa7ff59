import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  ConfigError,
  DatabaseSettings,
  migrateDatabase,
  resolveDatabaseUrl,
  startEmbeddedPostgres,
} from '@carthub/persistence';
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
    return { settings: { url, ...tuning }, stop: async () => undefined };
  }
  const dataDir = embeddedDataDir(resolve(config.embedded.dataDir), logger);
  logger.info({ dataDir, port: config.embedded.port }, 'no DATABASE_URL: starting the embedded PostgreSQL');
  const server = await startEmbeddedPostgres({ dataDir, port: config.embedded.port, persistent: true }).catch(
    (error) => {
      // Production images leave out development dependencies, the embedded server among them.
      if (!['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((error as { code?: string }).code ?? '')) throw error;
      throw new ConfigError('No database configured: set DATABASE_URL, DB_HOST (with DB_*) or DB_SECRET_ARN');
    },
  );
  const settings = { url: server.urlFor('postgres'), ...tuning };
  const applied = await migrateDatabase(settings);
  logger.info({ applied }, 'embedded PostgreSQL ready');
  return { settings, stop: () => server.stop() };
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk
 * down to its data folder. A checkout under a private home (such as /root)
 * does not allow that, so the data then lives under /var/tmp instead.
 */
function embeddedDataDir(wanted: string, logger: Logger): string {
  if (process.getuid?.() !== 0 || ancestorsOpenToOthers(wanted)) return wanted;
  const fallback = join('/var/tmp/carthub', createHash('sha256').update(wanted).digest('hex').slice(0, 12), 'postgres');
  logger.warn({ wanted, dataDir: fallback }, 'the data folder is not reachable by the postgres user; using another');
  return fallback;
}

function ancestorsOpenToOthers(dir: string): boolean {
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    const mode = statIfExists(parent);
    if (mode !== undefined && (mode & 0o001) === 0) return false;
    if (parent === dirname(parent)) return true;
  }
}

function statIfExists(path: string): number | undefined {
  try {
    return statSync(path).mode;
  } catch {
    return undefined;
  }
}
