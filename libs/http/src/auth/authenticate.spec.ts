import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startTestServer, TestServer } from '../../test/test-server';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(SECRET);
const item = { product_id: 'p', product_name: 'P', price: 1, quantity: 1 };

const token = (subject: string, expiresIn = '5m', secret = key) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(secret);
const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });

describe('authentication with a shared secret', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ settings: { auth: { jwtSecret: SECRET } } });
  });
  afterAll(() => server.close());

  it('when a token names the customer, then their cart and orders are theirs to use', async () => {
    const headers = bearer(await token('alice'));
    expect(
      (await server.request('POST', '/api/v1/cart/items', { body: { customer_id: 'alice', ...item }, headers })).status,
    ).toBe(200);
    expect((await server.request('GET', '/api/v1/cart/alice', { headers })).status).toBe(200);
    expect((await server.request('GET', '/api/v1/customers/alice/orders', { headers })).status).toBe(200);
  });

  it('when a token names another customer, then 403 and nothing changes — for carts, checkout and orders', async () => {
    const mallory = bearer(await token('mallory'));
    for (const [method, path, body] of [
      ['GET', '/api/v1/cart/alice', undefined],
      ['POST', '/api/v1/cart/items', { customer_id: 'alice', ...item }],
      ['PUT', '/api/v1/cart/alice/items/p', { quantity: 5 }],
      ['DELETE', '/api/v1/cart/alice', undefined],
      [
        'POST',
        '/api/v1/cart/checkout',
        {
          customer_id: 'alice',
          payment_method: 'paypal',
          shipping_address: { street: 's', city: 'c', state: 's', zip: 'z' },
        },
      ],
      ['GET', '/api/v1/customers/alice/orders', undefined],
    ] as const) {
      const response = await server.request(method, path, { body, headers: mallory });
      expect([method, path, response.status, response.body.code]).toEqual([method, path, 403, 'FORBIDDEN']);
    }
    const cart = await server.request('GET', '/api/v1/cart/alice', { headers: bearer(await token('alice')) });
    expect(cart.body).toMatchObject({ total_items: 1, version: 1 });
  });

  it("when a token asks for another customer's order by id, then 403", async () => {
    const alice = bearer(await token('alice'));
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      body: {
        customer_id: 'alice',
        payment_method: 'paypal',
        shipping_address: { street: 's', city: 'c', state: 's', zip: 'z' },
      },
      headers: alice,
    });
    expect(placed.status).toBe(201);
    const path = `/api/v1/orders/${placed.body.order_id}`;
    expect((await server.request('GET', path, { headers: alice })).status).toBe(200);
    expect((await server.request('GET', path, { headers: bearer(await token('mallory')) })).status).toBe(403);
  });

  it.each([
    ['no token', async () => ({})],
    ['an expired token', async () => bearer(await token('alice', '-1m'))],
    [
      'a token signed with another secret',
      async () => bearer(await token('alice', '5m', new TextEncoder().encode('x'.repeat(40)))),
    ],
    [
      'an unsigned alg:none token',
      async () => bearer(unsigned({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 300 })),
    ],
    ['a malformed header', async () => ({ Authorization: 'Basic YWxpY2U6cHc=' })],
  ])('when the request carries %s, then 401 UNAUTHORIZED with WWW-Authenticate', async (_, headers) => {
    const response = await server.request('GET', '/api/v1/cart/alice', { headers: await headers() });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHORIZED');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('when a system endpoint is called, then no token is needed', async () => {
    expect((await server.request('GET', '/health')).status).toBe(200);
    expect((await server.request('GET', '/openapi.json')).status).toBe(200);
  });
});

describe('authentication with an identity provider (JWKS)', () => {
  let server: TestServer;
  let jwks: Server;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const published = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    jwks = createServer((_, response) =>
      response.setHeader('content-type', 'application/json').end(JSON.stringify(published)),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    server = await startTestServer({
      settings: { auth: { jwksUrl, issuer: 'https://id.example', audience: 'carthub' } },
    });
  });
  afterAll(async () => {
    await server.close();
    jwks.close();
  });

  const signed = (claims: { issuer?: string; audience?: string }) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('bob')
      .setIssuer(claims.issuer ?? 'https://id.example')
      .setAudience(claims.audience ?? 'carthub')
      .setExpirationTime('5m')
      .sign(privateKey);

  it('when the token is signed by a published key for this audience, then it is accepted', async () => {
    expect((await server.request('GET', '/api/v1/cart/bob', { headers: bearer(await signed({})) })).status).toBe(200);
  });

  it('when the issuer or audience is wrong, or an HS256 token uses the public key as a secret, then 401', async () => {
    expect(
      (await server.request('GET', '/api/v1/cart/bob', { headers: bearer(await signed({ issuer: 'https://evil' })) }))
        .status,
    ).toBe(401);
    expect(
      (await server.request('GET', '/api/v1/cart/bob', { headers: bearer(await signed({ audience: 'other' })) }))
        .status,
    ).toBe(401);
    expect((await server.request('GET', '/api/v1/cart/bob', { headers: bearer(await token('bob')) })).status).toBe(401);
  });
});

function unsigned(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
