import { withTls } from './database-tls';
import { ConfigError } from '@carthub/util';
import { DatabaseEnv, postgresUrl } from './database-env';

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
  return postgresUrl({
    host: secret.host,
    port: secret.port ?? 5432,
    database: secret.dbname ?? 'carthub',
    user: secret.username,
    password: secret.password ?? '',
  });
}

/** The URL to connect to: given directly, or read from AWS Secrets Manager. */
export async function resolveDatabaseUrl(database: DatabaseEnv): Promise<string | undefined> {
  const url = database.url ?? (database.secretArn ? await databaseUrlFromSecret(database.secretArn) : undefined);
  return url && withTls(url, database.tls ?? {});
}
