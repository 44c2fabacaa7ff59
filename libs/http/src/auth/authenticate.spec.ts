import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Server as TcpServer } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startTestServer, TestServer } from '../../test/test-server';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(SECRET);
const item = { product_id: 'p', product_name: 'P', price: 1, quantity: 1 };
const checkoutBody = (customerId: string) => ({
  customer_id: customerId,
  payment_method: 'paypal',
  shipping_address: { street: 's', city: 'c', state: 's', zip: 'z' },
});

const token = (subject: string, { expiresIn = '5m', secret = key, issuedAt = 'now' as string | number } = {}) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt(issuedAt === 'now' ? undefined : issuedAt)
    .setExpirationTime(expiresIn)
    .sign(secret);
const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('authentication with a shared secret', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ settings: { auth: { jwtSecret: SECRET, maxTokenAgeSeconds: 3_600 } } });
  });
  afterAll(() => server.close());

  const cartOf = async (customerId: string) =>
    (await server.request('GET', `/api/v1/cart/${customerId}`, { headers: bearer(await token(customerId)) })).body;

  it('when a token names the customer, then their cart and orders are theirs to use', async () => {
    const headers = bearer(await token('alice'));
    const added = await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'alice', ...item },
      headers,
    });
    expect(added.status).toBe(200);
    expect((await server.request('GET', '/api/v1/cart/alice', { headers })).status).toBe(200);
    expect((await server.request('GET', '/api/v1/customers/alice/orders', { headers })).status).toBe(200);
  });

  it('when a token names another customer, then 403 and nothing changes — for carts, checkout and orders', async () => {
    const owner = bearer(await token('owner-403'));
    await server.request('POST', '/api/v1/cart/items', { body: { customer_id: 'owner-403', ...item }, headers: owner });
    const mallory = bearer(await token('mallory'));
    for (const [method, path, body] of [
      ['GET', '/api/v1/cart/owner-403', undefined],
      ['POST', '/api/v1/cart/items', { customer_id: 'owner-403', ...item }],
      ['PUT', '/api/v1/cart/owner-403/items/p', { quantity: 5 }],
      ['DELETE', '/api/v1/cart/owner-403/items/p', undefined],
      ['DELETE', '/api/v1/cart/owner-403', undefined],
      ['POST', '/api/v1/cart/checkout', checkoutBody('owner-403')],
      ['GET', '/api/v1/customers/owner-403/orders', undefined],
    ] as const) {
      const response = await server.request(method, path, { body, headers: mallory });
      expect([method, path, response.status, response.body.code]).toEqual([method, path, 403, 'FORBIDDEN']);
    }
    expect(await cartOf('owner-403')).toMatchObject({ total_items: 1, version: 1 });
  });

  it.each([
    ['POST', '/API/v1/cart/items', { customer_id: 'case-victim', ...item, quantity: 7 }],
    ['POST', '/Api/V1/Cart/Items', { customer_id: 'case-victim', ...item, quantity: 7 }],
    ['GET', '/API/V1/cart/case-victim', undefined],
    ['DELETE', '/api/V1/cart/case-victim', undefined],
    ['POST', '/API/v1/cart/checkout', checkoutBody('case-victim')],
    ['GET', '/api/v1/CUSTOMERS/case-victim/orders', undefined],
  ] as const)(
    'when %s %s is sent with no token, then no route answers (404) and nothing changes',
    async (method, path, body) => {
      const owner = bearer(await token('case-victim'));
      await server.request('DELETE', '/api/v1/cart/case-victim', { headers: owner });
      await server.request('POST', '/api/v1/cart/items', {
        body: { customer_id: 'case-victim', ...item },
        headers: owner,
      });
      const before = await cartOf('case-victim');

      const response = await server.request(method, path, { body });

      expect([response.status, response.body.code]).toEqual([404, 'NOT_FOUND']);
      expect(await cartOf('case-victim')).toEqual(before);
    },
  );

  it('when any customer route is called with no token, then 401: every route is checked for itself', async () => {
    const document = (await server.request('GET', '/openapi.json')).body;
    const operations = Object.entries(document.paths as Record<string, Record<string, { security: object[] }>>)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, operation]) => operation.security.length > 0)
          .map(([method]) => [method.toUpperCase(), path] as const),
      );
    expect(operations.length).toBeGreaterThanOrEqual(8);
    for (const [method, template] of operations) {
      const path = template.replace(/\{\w+\}/g, 'alice');
      const response = await server.request(method, path, method === 'GET' ? {} : { body: {} });
      expect([method, path, response.status, response.body.code]).toEqual([method, path, 401, 'UNAUTHORIZED']);
    }
  });

  it("when a token asks for another customer's order by id, then 404 exactly as for an order that does not exist", async () => {
    const owner = bearer(await token('order-owner'));
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'order-owner', ...item },
      headers: owner,
    });
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      body: checkoutBody('order-owner'),
      headers: owner,
    });
    expect(placed.status).toBe(201);
    const mallory = bearer(await token('mallory'));
    const missingId = '00000000-0000-4000-8000-000000000000';

    const foreign = await server.request('GET', `/api/v1/orders/${placed.body.order_id}`, { headers: mallory });
    const missing = await server.request('GET', `/api/v1/orders/${missingId}`, { headers: mallory });

    expect((await server.request('GET', `/api/v1/orders/${placed.body.order_id}`, { headers: owner })).status).toBe(
      200,
    );
    expect([foreign.status, foreign.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
    expect(foreign.body.error.replace(placed.body.order_id, '<id>')).toBe(
      missing.body.error.replace(missingId, '<id>'),
    );
  });

  it.each([
    ['no token', async () => ({})],
    ['an expired token', async () => bearer(await token('alice', { expiresIn: '-1m' }))],
    ['a token signed with another secret', async () => bearer(await token('alice', { secret: Buffer.alloc(40, 1) }))],
    [
      'an unsigned alg:none token',
      async () => bearer(unsigned({ sub: 'alice', iat: nowSeconds(), exp: nowSeconds() + 300 })),
    ],
    ['a malformed header', async () => ({ Authorization: 'Basic YWxpY2U6cHc=' })],
    ['a token without iat', async () => bearer(await signedWithout('iat'))],
    [
      'a token issued longer ago than the maximum age',
      async () => bearer(await token('alice', { issuedAt: nowSeconds() - 7_200 })),
    ],
    [
      'a token issued in the future',
      async () => bearer(await token('alice', { issuedAt: nowSeconds() + 3_600, expiresIn: '2h' })),
    ],
    ['a token whose subject has surrounding spaces', async () => bearer(await token('alice '))],
    ['a token whose subject has a control character', async () => bearer(await token('alice\u0007'))],
  ])('when the request carries %s, then 401 UNAUTHORIZED with WWW-Authenticate', async (_, headers) => {
    const response = await server.request('GET', '/api/v1/cart/alice', { headers: await headers() });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHORIZED');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('when an unexpired token was issued longer ago than the maximum age, then the 401 says so and names the setting', async () => {
    const old = await token('alice', { issuedAt: nowSeconds() - 7_200, expiresIn: '1d' });
    const expired = await token('alice', { expiresIn: '-1m' });

    const tooOld = await server.request('GET', '/api/v1/cart/alice', { headers: bearer(old) });
    const pastExpiry = await server.request('GET', '/api/v1/cart/alice', { headers: bearer(expired) });

    expect([tooOld.status, tooOld.body.error]).toEqual([401, expect.stringContaining('AUTH_MAX_TOKEN_AGE_SECONDS')]);
    expect([pastExpiry.status, pastExpiry.body.error]).toEqual([401, 'The token has expired']);
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
    const jwksUrl = `${await listen(jwks)}/.well-known/jwks.json`;
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
      .setIssuedAt()
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

describe('an identity provider that is down', () => {
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    privateKey = (await generateKeyPair('RS256')).privateKey;
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });

  const validToken = () =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('carol')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  async function apiWithJwksAt(jwksUrl: string): Promise<TestServer> {
    const server = await startTestServer({ settings: { auth: { jwksUrl } } });
    closers.push(() => server.close());
    return server;
  }

  it.each([
    [
      'refuses connections',
      async () => {
        const gone = createServer();
        const url = await listen(gone);
        await new Promise((resolve) => gone.close(resolve));
        return url;
      },
    ],
    [
      'answers 500',
      async () => {
        const failing = createServer((_, response) => response.writeHead(500).end('down'));
        closers.push(() => failing.close());
        return listen(failing);
      },
    ],
    [
      'accepts connections and never answers',
      async () => {
        const silent: TcpServer = createTcpServer(() => undefined);
        closers.push(() => silent.close());
        await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
        return `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      },
    ],
  ])(
    'when the JWKS endpoint %s, then a valid token gets 503 SERVICE_UNAVAILABLE with Retry-After',
    async (_, start) => {
      const server = await apiWithJwksAt(`${await start()}/jwks.json`);

      const response = await server.request('GET', '/api/v1/cart/carol', { headers: bearer(await validToken()) });

      expect([response.status, response.body.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    },
  );
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function signedWithout(claim: 'iat'): Promise<string> {
  const claims = { sub: 'alice', exp: nowSeconds() + 300 };
  expect(claim in claims).toBe(false);
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
}

function unsigned(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
