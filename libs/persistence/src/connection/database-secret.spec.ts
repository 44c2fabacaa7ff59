import { ConfigError } from '@carthub/util';
import { resolveDatabaseUrl } from './database-secret';
import { withFakeSecretsManager } from '../../testing';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-1';
const tuning = { poolMax: 1, connectTimeoutMs: 1, statementTimeoutMs: 1 };

describe('resolveDatabaseUrl', () => {
  it('when a URL is given, then it is used and no secret is read', async () => {
    await withFakeSecretsManager({}, async (fake) => {
      await expect(resolveDatabaseUrl({ url: 'postgres://h/d', secretArn: ARN, ...tuning })).resolves.toBe(
        'postgres://h/d',
      );
      expect(fake.requests).toEqual([]);
    });
  });

  it('when only a secret is named, then its fields make the URL, defaults filled and the password encoded', async () => {
    const secret = JSON.stringify({ username: 'app', password: 'p@ss/word', host: 'db.internal' });
    await withFakeSecretsManager({ [ARN]: secret }, async () => {
      await expect(resolveDatabaseUrl({ secretArn: ARN, ...tuning })).resolves.toBe(
        'postgres://app:p%40ss%2Fword@db.internal:5432/carthub',
      );
    });
  });

  it('when the secret is not usable, then a ConfigError says why', async () => {
    await withFakeSecretsManager({ [ARN]: '{"host": "h"}' }, async () => {
      await expect(resolveDatabaseUrl({ secretArn: ARN, ...tuning })).rejects.toThrow(ConfigError);
    });
  });

  it('when nothing names a database, then there is no URL', async () => {
    await expect(resolveDatabaseUrl(tuning)).resolves.toBeUndefined();
  });
});
