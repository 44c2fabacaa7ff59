import { defineConfig, MikroORM, Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrations } from './migrations';

export interface DatabaseSettings {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  readonly poolMax?: number;
  /** How long a connection attempt may take before the request fails as unavailable. */
  readonly connectTimeoutMs?: number;
  /** Server-side cap on any one statement. */
  readonly statementTimeoutMs?: number;
  readonly applicationName?: string;
}

export function createOrmConfig(settings: DatabaseSettings): Options {
  return defineConfig({
    clientUrl: settings.url,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: settings.poolMax ?? 10, idleTimeoutMillis: 30_000 },
    driverOptions: {
      connectionTimeoutMillis: settings.connectTimeoutMs ?? 1_500,
      statement_timeout: settings.statementTimeoutMs ?? 5_000,
      application_name: settings.applicationName ?? 'carthub',
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: migrations,
      pathTs: 'libs/persistence/src/migrations',
      path: 'libs/persistence/src/migrations',
      snapshot: false,
      silent: true,
      transactional: true,
      allOrNothing: true,
    },
    // Nothing is ever fetched lazily; requests work on their own forked EntityManager.
    allowGlobalContext: false,
  });
}

/** Opens an ORM for one piece of work (a migration, a cleanup) and always closes it. */
export async function withOrm<T>(settings: DatabaseSettings, work: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init(createOrmConfig(settings));
  try {
    return await work(orm);
  } finally {
    await orm.close(true);
  }
}
