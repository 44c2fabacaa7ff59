import { defineConfig, MikroORM, Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from '../entities';
import { migrations } from '../migrations';
import { DatabaseSettings, tuningOf } from './database-settings';
import { pgConnection } from './database-tls';
import { readReplicaOptions } from '../replicas/read-replica-config';

export function createOrmConfig(settings: DatabaseSettings): Options {
  const tuning = tuningOf(settings);
  const { connectionString, ssl } = pgConnection(settings.url);
  const applicationName = settings.applicationName ?? 'carthub';
  const driverOptions = (name: string, tls: typeof ssl) => ({
    connectionTimeoutMillis: tuning.connectTimeoutMs,
    statement_timeout: tuning.statementTimeoutMs,
    application_name: name,
    ssl: tls,
  });
  return defineConfig({
    clientUrl: connectionString,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: tuning.poolMax, idleTimeoutMillis: 30_000 },
    driverOptions: driverOptions(applicationName, ssl),
    ...readReplicaOptions(settings.readReplicaUrls ?? [], (tls) => driverOptions(`${applicationName}-replica`, tls)),
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
