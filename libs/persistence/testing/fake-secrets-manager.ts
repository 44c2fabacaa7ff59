import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeSecretsManager {
  readonly url: string;
  /** Every call received: its X-Amz-Target, whether it was SigV4-signed, and its body. */
  readonly requests: object[];
  close(): void;
}

/**
 * A stand-in for AWS Secrets Manager's JSON API on localhost, since AWS
 * cannot be run here: point the SDK at it with AWS_ENDPOINT_URL_SECRETS_MANAGER.
 */
export function startFakeSecretsManager(secrets: Record<string, string>): Promise<FakeSecretsManager> {
  const requests: object[] = [];
  const server: Server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const call = JSON.parse(body) as { SecretId: string };
    const signed = /^AWS4-HMAC-SHA256 /.test(request.headers.authorization ?? '');
    requests.push({ target: request.headers['x-amz-target'], signed, ...call });
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    const secret = secrets[call.SecretId];
    if (secret === undefined) {
      response.statusCode = 400;
      response.end(
        JSON.stringify({
          __type: 'ResourceNotFoundException',
          message: 'Secrets Manager can’t find the specified secret.',
        }),
      );
      return;
    }
    response.end(JSON.stringify({ ARN: call.SecretId, Name: 'secret', SecretString: secret }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => server.close(),
      }),
    ),
  );
}

/** Runs `work` with the SDK's environment pointed at the fake, as a pod's would point at AWS. */
export async function withFakeSecretsManager<T>(
  secrets: Record<string, string>,
  work: (fake: FakeSecretsManager) => Promise<T>,
): Promise<T> {
  const fake = await startFakeSecretsManager(secrets);
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example-secret',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url,
  });
  try {
    return await work(fake);
  } finally {
    process.env = saved;
    fake.close();
  }
}

/** The RDS-style secret for a database URL. */
export function secretFor(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return JSON.stringify({
    engine: 'postgres',
    host: url.hostname,
    port: Number(url.port),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    dbname: url.pathname.slice(1),
  });
}
