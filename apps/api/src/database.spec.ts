import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, queryDatabase, withFakeSecretsManager } from '@carthub/persistence/testing';
import { loadConfig } from './config';
import { openDatabase } from './database';

describe('openDatabase', () => {
  const warnings: object[] = [];
  const logger = { info: () => undefined, warn: (fields: object) => warnings.push(fields), error: () => undefined };

  it('when a URL is configured, then it is used as is and stopping leaves it alone', async () => {
    const database = await openDatabase(
      loadConfig({ DATABASE_URL: 'postgres://u@db/carts', DB_POOL_MAX: '4' }),
      logger,
    );
    expect(database.settings).toMatchObject({
      url: 'postgres://u@db/carts',
      poolMax: 4,
      applicationName: 'carthub-api',
    });
    await expect(database.stop()).resolves.toBeUndefined();
  });

  it('when read replicas are configured, then their URLs take what they leave out from the primary, TLS included', async () => {
    const database = await openDatabase(
      loadConfig({
        DATABASE_URL: 'postgres://u:pw@db/carts',
        DB_READ_REPLICA_URLS: 'postgres://replica-1,postgres://other@replica-2/copy',
        DB_SSL_MODE: 'require',
      }),
      logger,
    );
    expect(database.settings.readReplicaUrls).toEqual([
      'postgres://u:pw@replica-1/carts?sslmode=require',
      'postgres://other@replica-2/copy?sslmode=require',
    ]);
  });

  it('when DB_SECRET_ARN is configured, then the URL is read from AWS Secrets Manager at start', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:carthub-db';
    const secret = JSON.stringify({
      username: 'app',
      password: 's3cret',
      host: 'db.internal',
      port: 6543,
      dbname: 'carts',
    });
    await withFakeSecretsManager({ [arn]: secret }, async () => {
      const database = await openDatabase(loadConfig({ DB_SECRET_ARN: arn }), logger);
      expect(database.settings.url).toBe('postgres://app:s3cret@db.internal:6543/carts');
    });
  });

  it('when none is configured, then an embedded one starts, migrated; a folder postgres cannot reach is moved aside', async () => {
    const privateDir = await mkdtemp(join(tmpdir(), 'carthub-private-')); // mode 0700: closed to the postgres user
    const wanted = join(privateDir, 'pgdata');
    const config = loadConfig({ EMBEDDED_PG_DIR: wanted, EMBEDDED_PG_PORT: String(await findFreePort()) });
    const database = await openDatabase(config, logger);
    try {
      await expect(queryDatabase(database.settings.url, 'select count(*)::int as n from carts')).resolves.toEqual([
        { n: 0 },
      ]);
      const runningAsRoot = process.getuid?.() === 0;
      expect(warnings.length > 0).toBe(runningAsRoot);
      await expect(
        stat(wanted).then(
          () => true,
          () => false,
        ),
      ).resolves.toBe(!runningAsRoot);
    } finally {
      await database.stop();
      const moved = warnings.map((fields) => (fields as { dataDir: string }).dataDir);
      await Promise.all([privateDir, ...moved].map((dir) => rm(dir, { recursive: true, force: true })));
    }
  });
});
