import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { DatabaseSettings } from './database-settings';
import { withOrm } from './orm-config';

type Migrator = MikroORM['migrator'];

export interface MigrationProgress {
  /** Called as each migration finishes, with how long it took. */
  onStep?(step: { name: string; direction: 'up' | 'down'; durationMs: number }): void;
  /** Called when another migrator holds the lock and this one waits for it. */
  onWaiting?(): void;
}

export interface MigrationStatus {
  readonly executed: string[];
  readonly pending: string[];
}

// Any fixed number works, as long as every migrator uses the same one.
const MIGRATION_LOCK_ID = 7_202_611;

/** Applies every pending migration and returns the names it applied. */
export function migrateDatabase(settings: DatabaseSettings, progress: MigrationProgress = {}): Promise<string[]> {
  return withLockedMigrator(settings, progress, (migrator) => migrator.up());
}

/** Reverts the last migration, or every one after `to` (0 reverts them all); returns the names reverted. */
export function revertMigrations(settings: DatabaseSettings, to?: string | 0, progress: MigrationProgress = {}) {
  return withLockedMigrator(settings, progress, (migrator) => migrator.down(to === undefined ? undefined : { to }));
}

export function migrationStatus(settings: DatabaseSettings): Promise<MigrationStatus> {
  return withMigratorOrm(settings, async (orm) => ({
    executed: (await orm.migrator.getExecuted()).map((row) => row.name),
    pending: (await orm.migrator.getPending()).map((migration) => migration.name),
  }));
}

/** Whether the entities describe a schema other than the one the migrations built (run on a migrated database). */
export function entitiesDifferFromSchema(settings: DatabaseSettings): Promise<boolean> {
  return withMigratorOrm(settings, (orm) => orm.migrator.checkSchema());
}

/** Writes a migration for whatever the entities changed since the database's schema; answers its file name. */
export function createMigration(
  settings: DatabaseSettings,
  name: string,
  directory: string,
): Promise<string | undefined> {
  return withMigratorOrm(settings, async (orm) => {
    const result = await orm.migrator.create(directory, false, false, name);
    return result.diff.up.length > 0 ? result.fileName : undefined;
  });
}

/**
 * Runs migrations while holding a PostgreSQL advisory lock on a connection of
 * its own, so two migrators started at once take turns: the second waits,
 * then finds nothing left to do. The lock goes with the session if the process dies.
 */
async function withLockedMigrator(
  settings: DatabaseSettings,
  progress: MigrationProgress,
  run: (migrator: Migrator) => Promise<{ name: string }[]>,
): Promise<string[]> {
  return withMigratorOrm(settings, async (orm) =>
    orm.em
      .getKysely()
      .connection()
      .execute(async (lockSession) => {
        const { rows } = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_lock(${MIGRATION_LOCK_ID}) as locked`.execute(lockSession);
        if (!rows[0].locked) {
          progress.onWaiting?.();
          await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(lockSession);
        }
        try {
          reportSteps(orm.migrator, progress);
          return (await run(orm.migrator)).map((migration) => migration.name);
        } finally {
          await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(lockSession);
        }
      }),
  );
}

function reportSteps(migrator: Migrator, progress: MigrationProgress): void {
  const started = new Map<string, number>();
  const begin = (event: { name: string }) => void started.set(event.name, performance.now());
  const finish = (direction: 'up' | 'down') => (event: { name: string }) =>
    progress.onStep?.({
      name: event.name,
      direction,
      durationMs: Math.round(performance.now() - (started.get(event.name) ?? 0)),
    });
  migrator.on('migrating', begin).on('reverting', begin).on('migrated', finish('up')).on('reverted', finish('down'));
}

// The migrator's own connections come from the pool; one more holds the advisory lock.
const withMigratorOrm = <T>(settings: DatabaseSettings, work: (orm: MikroORM) => Promise<T>) =>
  withOrm({ poolMax: 3, ...settings }, work);
