import { createEmptyDatabase, secretFor, TestDatabase, withFakeSecretsManager } from '@carthub/persistence/testing';
import { EXIT, runMigrator } from './cli';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:carthub-db-AbCdEf';

describe('credentials from DB_SECRET_ARN', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(() => database.drop());

  async function status() {
    const lines: string[] = [];
    const code = await runMigrator(['status'], { DB_SECRET_ARN: ARN }, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
  }

  it('when the secret holds the RDS credential shape, then the migrator connects with it', async () => {
    await withFakeSecretsManager({ [ARN]: secretFor(database.url) }, async (fake) => {
      await expect(status()).resolves.toEqual({
        code: EXIT.pending,
        output: expect.stringContaining('0 applied, 8 pending'),
      });
      expect(fake.requests).toEqual([{ target: 'secretsmanager.GetSecretValue', signed: true, SecretId: ARN }]);
    });
  });

  it.each([
    ['the secret does not exist', {}, /could not read the database secret: .*can’t find/],
    ['the secret is not JSON', { [ARN]: 'hunter2' }, /DB_SECRET_ARN: the secret is not JSON/],
    [
      'the secret lacks a host',
      { [ARN]: JSON.stringify({ username: 'u' }) },
      /must hold at least "host" and "username"/,
    ],
  ])('when %s, then it exits 2 saying so', async (_, secrets, message) => {
    await withFakeSecretsManager(secrets, async () => {
      const result = await status();
      expect(result.code).toBe(EXIT.usage);
      expect(result.output).toMatch(message);
    });
  });
});
