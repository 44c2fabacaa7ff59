import { readFileSync } from 'node:fs';
import { checkServerIdentity, ConnectionOptions, PeerCertificate } from 'node:tls';

/**
 * How connections to PostgreSQL are encrypted, as libpq names it. `prefer` and
 * `allow` are refused: they fall back to plain text without a word.
 */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

const TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword', 'ssl'];

export interface PgConnection {
  readonly connectionString: string;
  readonly ssl: false | ConnectionOptions;
}

/** The URL with `sslmode` (and `sslrootcert`, a CA file) set, for DB_SSL_MODE and DB_SSL_CA. */
export function withTls(url: string, tls: { mode?: SslMode; caFile?: string }): string {
  if (!tls.mode && !tls.caFile) return url;
  const parsed = new URL(url);
  if (tls.mode) parsed.searchParams.set('sslmode', tls.mode);
  if (tls.caFile) parsed.searchParams.set('sslrootcert', tls.caFile);
  return parsed.toString();
}

/**
 * What node-postgres needs to connect as the URL says: its own TLS parameters
 * read here (node-postgres would read `sslmode` by rules of its own) and taken
 * out of the URL. verify-full checks the CA and the host name, verify-ca the
 * CA only, require encrypts without checking; none of them ever falls back to
 * plain text. Throws on a mode this service refuses.
 */
export function pgConnection(url: string): PgConnection {
  const parsed = new URL(url);
  const mode = parsed.searchParams.get('sslmode') ?? 'disable';
  const caFile = parsed.searchParams.get('sslrootcert');
  for (const param of TLS_PARAMS) parsed.searchParams.delete(param);
  const connectionString = parsed.toString();
  if (!(SSL_MODES as readonly string[]).includes(mode)) {
    throw new Error(
      `sslmode=${mode} is not supported: use ${SSL_MODES.join(', ')} (prefer and allow fall back to plain text)`,
    );
  }
  if (mode === 'disable') return { connectionString, ssl: false };
  if (mode === 'require') return { connectionString, ssl: { rejectUnauthorized: false } };
  const ca = caFile ? readFileSync(caFile, 'utf8') : undefined;
  if (mode === 'verify-ca')
    return { connectionString, ssl: { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined } };
  // Checked against the host the URL names, IP addresses included (node-postgres sends SNI only for names).
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const ssl = {
    ca,
    rejectUnauthorized: true,
    checkServerIdentity: (_: string, cert: PeerCertificate) => checkServerIdentity(host, cert),
  };
  return { connectionString, ssl };
}
