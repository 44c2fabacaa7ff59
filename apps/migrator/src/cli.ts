import Joi from 'joi';
import {
  cleanupExpiredKeys,
  ConfigError,
  DatabaseSettings,
  databaseEnvFrom,
  databaseEnvKeys,
  migrateDatabase,
  validateEnv,
} from '@carthub/persistence';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

type Log = (line: string) => void;

const COMMANDS: Record<string, { help: string; run: (settings: DatabaseSettings, log: Log) => Promise<void> }> = {
  up: {
    help: 'apply every pending migration (the default)',
    async run(settings, log) {
      const started = Date.now();
      const applied = await migrateDatabase(settings);
      applied.forEach((name) => log(`applied ${name}`));
      const summary =
        applied.length === 0 ? 'nothing to do: the schema is up to date' : `applied ${applied.length} migration(s)`;
      log(`${summary} in ${Date.now() - started} ms`);
    },
  },
  cleanup: {
    help: 'delete idempotency keys older than their 24 hours',
    async run(settings, log) {
      log(`deleted ${await cleanupExpiredKeys(settings)} expired idempotency key(s)`);
    },
  },
};

const USAGE = [
  'usage: migrator [command]',
  ...Object.entries(COMMANDS).map(([name, { help }]) => `  ${name.padEnd(8)} ${help}`),
].join('\n');

const schema = Joi.object(databaseEnvKeys).oxor('DATABASE_URL', 'DB_HOST').unknown(true);

/**
 * The migrator's whole behaviour, for `main.ts` and for tests: run the command,
 * write progress to `log` (stderr), and answer the process exit code.
 */
export async function runMigrator(args: string[], env: NodeJS.ProcessEnv, log: Log): Promise<number> {
  const [name = 'up', ...rest] = args;
  const command = COMMANDS[name];
  if (!command || rest.length > 0) {
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
  try {
    await command.run({ url, applicationName: 'carthub-migrator', statementTimeoutMs: 600_000 }, log);
    return EXIT.ok;
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}
