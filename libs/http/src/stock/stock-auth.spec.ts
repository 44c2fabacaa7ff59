import { SignJWT } from 'jose';
import { startTestServer, TestServer } from '../../test/test-server';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(SECRET);
const bearer = async (subject: string, claims: Record<string, unknown> = {}) => ({
  Authorization: `Bearer ${await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key)}`,
});

describe('stock with authentication on', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ settings: { auth: { jwtSecret: SECRET } }, stockTracking: true });
  });
  afterAll(() => server.close());

  it('when a customer or no one calls the operator endpoints, then 403 or 401 and nothing changes; an operator passes; availability is public', async () => {
    const customer = await bearer('customer-1');
    const operator = await bearer('staff', { scope: 'carthub:operator' });
    const calls = [
      ['PUT', '/api/v1/stock/lamp', { on_hand: 9 }],
      ['POST', '/api/v1/stock/lamp/adjustments', { delta: 9 }],
      ['DELETE', '/api/v1/stock/lamp', undefined],
      ['GET', '/api/v1/stock/lamp', undefined],
    ] as const;
    for (const [method, path, body] of calls) {
      expect((await server.request(method, path, { body, headers: customer })).status).toBe(403);
      expect((await server.request(method, path, { body })).status).toBe(401);
    }
    expect((await server.request('GET', '/api/v1/stock/lamp', { headers: operator })).body).toEqual({
      product_id: 'lamp',
      tracked: false,
    });
    const put = await server.request('PUT', '/api/v1/stock/lamp', { body: { on_hand: 4 }, headers: operator });
    expect(put.body).toMatchObject({ on_hand: 4, version: 1 });
    const shown = await server.request('GET', '/api/v1/availability?product_ids=lamp');
    expect(shown.body.availability).toEqual([{ product_id: 'lamp', tracked: true, available: 4 }]);
  });
});
