import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgresServer, startEmbeddedPostgres } from '../dev';

export interface TlsPostgres {
  readonly server: EmbeddedPostgresServer;
  /** The CA that signed the server's certificate (for 127.0.0.1 only, not localhost). */
  readonly ca: string;
  /** A CA that signed nothing here. */
  readonly otherCa: string;
}

/** A real PostgreSQL speaking TLS with a certificate of its own CA, in a temporary folder on a free port. */
export async function startTlsPostgres(): Promise<TlsPostgres> {
  const dir = mkdtempSync('/var/tmp/carthub-tls-');
  chmodSync(dir, 0o755);
  const files = makeCertificates(dir);
  // The server runs as the postgres user (we are root here), which must own its key, readable by it alone.
  if (userInfo().uid === 0) {
    const postgres = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const group = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(files.key, Number(postgres), Number(group));
  }
  chmodSync(files.key, 0o600);
  const server = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    port: 0,
    persistent: false,
    serverSettings: { ssl: 'on', ssl_cert_file: files.cert, ssl_key_file: files.key },
  });
  return { server, ca: files.ca, otherCa: files.otherCa };
}

/** A real PostgreSQL without TLS, in a temporary folder on a free port. */
export async function startPlainPostgres(): Promise<EmbeddedPostgresServer> {
  const dir = mkdtempSync('/var/tmp/carthub-plain-');
  chmodSync(dir, 0o755);
  return startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: 0, persistent: false });
}

/** A CA, a server certificate it signed for 127.0.0.1, and a second CA that signed nothing here. */
function makeCertificates(dir: string) {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  for (const ca of ['ca', 'other-ca']) {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${ca}`,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
    );
  }
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.cnf',
    '-out',
    'server.pem',
  );
  return {
    ca: join(dir, 'ca.pem'),
    otherCa: join(dir, 'other-ca.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server.key'),
  };
}
