import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig, DatabaseSettings } from './orm-config';

/** Applies every pending migration and returns the names it applied. */
export function migrateDatabase(settings: DatabaseSettings): Promise<string[]> {
  return withMigrator(settings, (migrator) => migrator.up());
}

/** Reverts the last migration, or every one after `to` (0 reverts them all); returns the names reverted. */
export function revertMigrations(settings: DatabaseSettings, to?: string | 0): Promise<string[]> {
  return withMigrator(settings, (migrator) => migrator.down(to === undefined ? undefined : { to }));
}

type Migrator = MikroORM['migrator'];

async function withMigrator(
  settings: DatabaseSettings,
  run: (migrator: Migrator) => Promise<{ name: string }[]>,
): Promise<string[]> {
  const orm = await MikroORM.init(createOrmConfig(settings));
  try {
    return (await run(orm.migrator)).map((migration) => migration.name);
  } finally {
    await orm.close(true);
  }
}
