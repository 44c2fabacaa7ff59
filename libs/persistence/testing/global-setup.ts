import './workspace-aliases';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EmbeddedPostgresServer, startEmbeddedPostgres } from '../dev/embedded-postgres';
import { migrateDatabase } from '../src/connection/migrate';
import { databaseUrl, TEMPLATE_URL_ENV, withAdminClient } from './test-database';

declare global {
  var carthubTestServer: { embedded?: EmbeddedPostgresServer; serverUrl: string; template: string } | undefined;
}

/**
 * Jest global setup: a PostgreSQL server (TEST_DATABASE_URL's, or an embedded
 * one) holding one migrated template database for this run's test files.
 */
export default async function globalSetup(): Promise<void> {
  const given = process.env['TEST_DATABASE_URL'];
  const embedded = given
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: await mkdtemp(join(tmpdir(), 'carthub-pg-')),
        port: 0,
        persistent: false,
      });
  const serverUrl = embedded ? embedded.urlFor('postgres') : (given as string);
  const template = `carthub_test_template_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (admin) => admin.query(`create database "${template}"`));
  const templateUrl = databaseUrl(serverUrl, template);
  await migrateDatabase({ url: templateUrl });
  process.env[TEMPLATE_URL_ENV] = templateUrl;
  globalThis.carthubTestServer = { embedded, serverUrl, template };
}
