import { ConfigError, DatabaseEnv } from './database-env';

/** The shape AWS uses for database credentials (RDS-managed secrets and the console's "other database"). */
interface DatabaseSecret {
  username?: string;
  password?: string;
  host?: string;
  port?: number | string;
  dbname?: string;
}

/**
 * Reads database credentials from AWS Secrets Manager and answers a URL.
 * Region, credentials and endpoint come from the SDK's usual environment
 * (AWS_REGION, the pod's IAM role, AWS_ENDPOINT_URL_SECRETS_MANAGER).
 */
export async function databaseUrlFromSecret(secretArn: string): Promise<string> {
  // Loaded only when a secret is named: the SDK costs ~25 MiB of memory that no other path needs.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { SecretString } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
  let secret: DatabaseSecret;
  try {
    secret = JSON.parse(SecretString ?? '');
  } catch {
    throw new ConfigError(`DB_SECRET_ARN: the secret is not JSON with username, password, host, port and dbname`);
  }
  if (!secret.host || !secret.username) {
    throw new ConfigError('DB_SECRET_ARN: the secret must hold at least "host" and "username"');
  }
  const url = new URL('postgres://localhost');
  url.hostname = secret.host;
  url.port = String(secret.port ?? 5432);
  url.pathname = `/${secret.dbname ?? 'carthub'}`;
  url.username = secret.username;
  url.password = secret.password ?? '';
  return url.toString();
}

/** The URL to connect to: given directly, or read from AWS Secrets Manager. */
export async function resolveDatabaseUrl(database: DatabaseEnv): Promise<string | undefined> {
  return database.url ?? (database.secretArn ? databaseUrlFromSecret(database.secretArn) : undefined);
}
