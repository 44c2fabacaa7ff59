import Joi from 'joi';
import { ConfigError, databaseEnvFrom, databaseEnvKeys, migrateDatabase, validateEnv } from '@carthub/persistence';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = 'usage: migrator [up]\n  up   apply every pending migration (the default)\n';

const schema = Joi.object(databaseEnvKeys).oxor('DATABASE_URL', 'DB_HOST').unknown(true);

/**
 * The migrator's whole behaviour, for `main.ts` and for tests: run the command,
 * write progress to `log` (stderr), and answer the process exit code.
 */
export async function runMigrator(
  args: string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<number> {
  const [command = 'up', ...rest] = args;
  if (command !== 'up' || rest.length > 0) {
    log(USAGE);
    return EXIT.usage;
  }
  let url: string | undefined;
  try {
    url = databaseEnvFrom(validateEnv(schema, env)).url;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log(error.message);
    return EXIT.usage;
  }
  if (!url) {
    log('No database configured: set DATABASE_URL, or DB_HOST with DB_PORT, DB_NAME, DB_USERNAME and DB_PASSWORD');
    return EXIT.usage;
  }
  const started = Date.now();
  try {
    const applied = await migrateDatabase({ url, applicationName: 'carthub-migrator', statementTimeoutMs: 600_000 });
    applied.forEach((name) => log(`applied ${name}`));
    log(
      `${applied.length === 0 ? 'nothing to do: the schema is up to date' : `applied ${applied.length} migration(s)`} in ${Date.now() - started} ms`,
    );
    return EXIT.ok;
  } catch (error) {
    log(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}
