import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { Pool } from 'pg';
import { EmbeddedPostgresServer } from '../../dev';
import { startPlainPostgres, startTlsPostgres } from '../../testing/tls-postgres';
import { createOrmConfig } from './orm-config';
import { pgConnection, withTls } from './database-tls';
import { readReplicaUrls, ReplicaAwareDriver } from '../replicas/read-replica-config';

describe('pgConnection', () => {
  it.each([
    ['no sslmode', 'postgres://u@h/d', false],
    ['disable', 'postgres://u@h/d?sslmode=disable', false],
    ['require', 'postgres://u@h/d?sslmode=require', { rejectUnauthorized: false }],
  ])('reads %s', (_, url, ssl) => {
    expect(pgConnection(url)).toEqual({ connectionString: 'postgres://u@h/d', ssl });
  });

  it.each(['prefer', 'allow', 'maybe'])('refuses sslmode=%s: it would fall back to plain text', (mode) => {
    expect(() => pgConnection(`postgres://u@h/d?sslmode=${mode}`)).toThrow(/not supported/);
  });

  it('adds DB_SSL_MODE and DB_SSL_CA to a URL, keeping what it had', () => {
    expect(withTls('postgres://u@h/d?application_name=x', { mode: 'verify-full', caFile: '/ca.pem' })).toBe(
      'postgres://u@h/d?application_name=x&sslmode=verify-full&sslrootcert=%2Fca.pem',
    );
    expect(withTls('postgres://u@h/d', {})).toBe('postgres://u@h/d');
  });
});

describe('a PostgreSQL server that speaks TLS', () => {
  let server: EmbeddedPostgresServer;
  let files: { ca: string; otherCa: string };

  beforeAll(async () => {
    const tls = await startTlsPostgres();
    server = tls.server;
    files = tls;
  });
  afterAll(() => server?.stop());

  const query = async (url: string, text: string) => {
    const pool = new Pool({ ...pgConnection(url), max: 1, connectionTimeoutMillis: 5_000 });
    // A connection the server drops after the answer (it is stopped once the tests are done) is no failure of the query;
    // without a listener, that drop would surface as an unhandled error in whichever test runs at the time.
    pool.on('error', () => undefined);
    try {
      return (await pool.query(text)).rows;
    } finally {
      await pool.end();
    }
  };

  it('when verify-full is asked with the CA that signed the server, then the ORM connects over TLS (pg_stat_ssl says so)', async () => {
    const url = withTls(server.urlFor('postgres'), { mode: 'verify-full', caFile: files.ca });
    const orm = await MikroORM.init(createOrmConfig({ url }));
    try {
      const [row] = await orm.em
        .getConnection()
        .execute('select ssl, version from pg_stat_ssl where pid = pg_backend_pid()');
      expect(row).toMatchObject({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
    } finally {
      await orm.close(true);
    }
  });

  it('when a read replica is given, then it is reached with the same TLS settings as the primary', async () => {
    const url = withTls(server.urlFor('postgres'), { mode: 'verify-full', caFile: files.ca });
    const [replicaUrl] = readReplicaUrls(url, [server.urlFor('postgres').replace(/\/\/.*@/, '//')], {});
    const orm = await MikroORM.init(createOrmConfig({ url, readReplicaUrls: [replicaUrl] }));
    try {
      const [replica] = (orm.driver as ReplicaAwareDriver).readReplicas();
      const { rows } = await sql<{ ssl: boolean }>`select ssl from pg_stat_ssl where pid = pg_backend_pid()`.execute(
        replica.getClient(),
      );
      expect(rows).toEqual([{ ssl: true }]);
    } finally {
      await orm.close(true);
    }
  });

  it('when the CA given did not sign the server certificate, then the connection is refused with a clear error', async () => {
    const url = withTls(server.urlFor('postgres'), { mode: 'verify-full', caFile: files.otherCa });
    await expect(query(url, 'select 1')).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('when verify-full names a host the certificate does not cover, then it is refused; verify-ca accepts the CA alone', async () => {
    // localhost reaches the same server, but the certificate names 127.0.0.1 only.
    const byName = server.urlFor('postgres').replace('127.0.0.1', 'localhost');
    await expect(query(withTls(byName, { mode: 'verify-full', caFile: files.ca }), 'select 1')).rejects.toThrow(
      /altnames/,
    );
    const url = withTls(server.urlFor('postgres'), { mode: 'verify-ca', caFile: files.ca });
    await expect(query(url, 'select ssl from pg_stat_ssl where pid = pg_backend_pid()')).resolves.toEqual([
      { ssl: true },
    ]);
  });
});

describe('a PostgreSQL server without TLS', () => {
  let server: EmbeddedPostgresServer;

  beforeAll(async () => {
    server = await startPlainPostgres();
  });
  afterAll(() => server?.stop());

  it('when TLS is required, then nothing falls back to plain text: the connection fails', async () => {
    const pool = new Pool({ ...pgConnection(withTls(server.urlFor('postgres'), { mode: 'require' })), max: 1 });
    await expect(pool.query('select 1')).rejects.toThrow(/does not support SSL/i);
    await pool.end();
  });
});
