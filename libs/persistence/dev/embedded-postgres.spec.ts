import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryDatabase as query } from '../testing';
import { startEmbeddedPostgres } from './embedded-postgres';

describe('startEmbeddedPostgres', () => {
  it('when a persistent server is stopped and started again on its folder, then the data is still there', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'carthub-restart-'));
    try {
      const first = await startEmbeddedPostgres({ dataDir, port: 0, persistent: true });
      await query(first.urlFor('postgres'), `create table kept (value text); insert into kept values ('survives')`);
      await first.stop();

      const second = await startEmbeddedPostgres({ dataDir, port: 0, persistent: true });
      try {
        await expect(query(second.urlFor('postgres'), 'select value from kept')).resolves.toEqual([
          { value: 'survives' },
        ]);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
