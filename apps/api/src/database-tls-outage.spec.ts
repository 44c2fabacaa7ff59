import { withTls } from '@carthub/persistence';
import { EmbeddedPostgresServer } from '@carthub/persistence/dev';
import { startPlainPostgres, startTlsPostgres, TlsPostgres } from '@carthub/persistence/testing';
import { startLocalServer } from '../test/local-server';

const address = { street: '1 Main St', city: 'Seattle', state: 'WA', zip: '98101' };

/** A database the API cannot use because TLS fails is a database it cannot reach: 503 everywhere, never 500. */
describe('a database whose TLS handshake fails', () => {
  let tls: TlsPostgres;
  let plain: EmbeddedPostgresServer;

  beforeAll(async () => {
    [tls, plain] = await Promise.all([startTlsPostgres(), startPlainPostgres()]);
  });
  afterAll(() => Promise.all([tls?.server.stop(), plain?.stop()]));

  it.each([
    [
      'the CA given did not sign the server certificate',
      () => withTls(tls.server.urlFor('postgres'), { mode: 'verify-full', caFile: tls.otherCa }),
    ],
    [
      'the certificate does not name the host',
      () =>
        withTls(tls.server.urlFor('postgres').replace('127.0.0.1', 'localhost'), {
          mode: 'verify-full',
          caFile: tls.ca,
        }),
    ],
    ['the server does not support TLS', () => withTls(plain.urlFor('postgres'), { mode: 'require' })],
  ])(
    'when %s, then /health and every route answer 503 SERVICE_UNAVAILABLE with Retry-After',
    async (_, databaseUrl) => {
      const server = await startLocalServer(databaseUrl(), { HEALTH_TIMEOUT_MS: '1000' });
      try {
        const call = (method: string, path: string, body?: object) =>
          fetch(`${server.url}${path}`, {
            method,
            headers: body ? { 'content-type': 'application/json' } : {},
            body: body && JSON.stringify(body),
          });

        expect((await call('GET', '/health')).status).toBe(503);
        const answers = [
          await call('GET', '/api/v1/cart/c-tls'),
          await call('POST', '/api/v1/cart/items', {
            customer_id: 'c-tls',
            product_id: 'p',
            product_name: 'P',
            price: 1,
            quantity: 1,
          }),
          await call('DELETE', '/api/v1/cart/c-tls'),
          await call('POST', '/api/v1/cart/checkout', {
            customer_id: 'c-tls',
            payment_method: 'paypal',
            shipping_address: address,
          }),
          await call('GET', '/api/v1/orders/3f0e8d52-0000-4000-8000-000000000000'),
          await call('GET', '/api/v1/customers/c-tls/orders'),
        ];
        for (const answer of answers) {
          const { code } = (await answer.json()) as { code: string };
          expect([answer.status, code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
          expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        }
      } finally {
        await server.shutdown();
      }
    },
  );
});
