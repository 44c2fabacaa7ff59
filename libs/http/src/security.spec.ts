import { startTestServer, TestServer } from '../test/test-server';

describe('CORS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ settings: { corsOrigins: ['https://shop.example'] } });
  });
  afterAll(() => server.close());

  it('when a listed origin asks, then it is allowed with credentials; an unlisted one gets no CORS headers', async () => {
    const listed = await server.request('GET', '/api/v1/cart/c', { headers: { Origin: 'https://shop.example' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(listed.headers.get('access-control-expose-headers')).toContain('ETag');
    const other = await server.request('GET', '/api/v1/cart/c', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when a browser sends a preflight, then the methods and headers the API uses are allowed', async () => {
    const preflight = await server.request('OPTIONS', '/api/v1/cart/items', {
      headers: {
        Origin: 'https://shop.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
  });
});

describe('compression', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('when a response is over 1 KiB and the client accepts gzip or brotli, then it is compressed; small ones are not', async () => {
    for (let i = 0; i < 20; i++) {
      await server.request('POST', '/api/v1/cart/items', {
        body: {
          customer_id: 'big',
          product_id: `product-${i}`,
          product_name: `A product with a long name ${i}`,
          price: 1,
          quantity: 1,
        },
      });
    }
    const gzip = await fetch(`${server.baseUrl}/api/v1/cart/big`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(await gzip.json()).toMatchObject({ items: expect.any(Array), total_items: 20 });
    const brotli = await fetch(`${server.baseUrl}/api/v1/cart/big`, { headers: { 'Accept-Encoding': 'br' } });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    const small = await fetch(`${server.baseUrl}/api/v1/cart/nobody`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
  });
});

describe('rate limiting in memory', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ settings: { rateLimit: { max: 3, windowMs: 60_000 }, trustProxy: true } });
  });
  afterAll(() => server.close());

  const asClient = (ip: string) => ({ 'X-Forwarded-For': ip });

  it('when a client passes its limit, then 429 RATE_LIMITED with Retry-After, and RateLimit-* headers all along', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const response = await server.request('GET', '/api/v1/cart/c', { headers: asClient('203.0.113.7') });
      statuses.push([response.status, response.headers.get('ratelimit-remaining')]);
      if (response.status === 429) {
        expect(response.body.code).toBe('RATE_LIMITED');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.headers.get('ratelimit-limit')).toBe('3');
      }
    }
    expect(statuses).toEqual([
      [200, '2'],
      [200, '1'],
      [200, '0'],
      [429, '0'],
    ]);
  });

  it('when behind a trusted proxy, then each client address has its own budget', async () => {
    expect((await server.request('GET', '/api/v1/cart/c', { headers: asClient('198.51.100.1') })).status).toBe(200);
  });

  it('when health or docs are asked, then they are never limited', async () => {
    for (let i = 0; i < 5; i++) {
      for (const path of ['/health/live', '/openapi.json', '/docs']) {
        expect((await server.request('GET', path, { headers: asClient('203.0.113.7') })).status).toBe(200);
      }
    }
  });
});
