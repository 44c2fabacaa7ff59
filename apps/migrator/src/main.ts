import { runMigrator } from './cli';

runMigrator(process.argv.slice(2), process.env, (line) => process.stderr.write(`${line}\n`)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`migrator crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
