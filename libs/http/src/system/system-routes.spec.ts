import { startTestServer, TestServer } from '../../test/test-server';

describe('system endpoints', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('when / is asked, then it names the service', async () => {
    const response = await server.request('GET', '/');
    expect(response.body).toEqual({ service: 'Shopping Cart Backend', version: '2.0.0', status: 'running' });
  });

  it('when the database is up, then /health and /health/ready are healthy and connected', async () => {
    for (const path of ['/health', '/health/ready']) {
      const response = await server.request('GET', path);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'healthy',
        timestamp: expect.any(String),
        database: 'connected',
        version: '2.0.0',
      });
    }
    expect((await server.request('GET', '/health/live')).status).toBe(200);
  });

  it('when a sane X-Request-Id is sent, then it is echoed; a hostile one is replaced', async () => {
    const kept = await server.request('GET', '/', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await server.request('GET', '/', { headers: { 'X-Request-Id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when any response is sent, then it carries the security headers and no X-Powered-By', async () => {
    const response = await server.request('GET', '/api/v1/cart/c');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('when a request is answered, then one log line records method, route, status, duration and request id', async () => {
    await server.request('GET', '/api/v1/cart/logged', { headers: { 'X-Request-Id': 'log-me' } });
    const line = server.logs.find((entry) => (entry.fields as { request_id?: string }).request_id === 'log-me');
    expect(line?.fields).toEqual({
      method: 'GET',
      route: '/api/v1/cart/:customer_id',
      path: '/api/v1/cart/logged',
      status: 200,
      duration_ms: expect.any(Number),
      request_id: 'log-me',
    });
  });

  it('when shutdown has begun, then readiness answers 503 while liveness stays 200', async () => {
    let accepting = true;
    const stopping = await startTestServer({ acceptingTraffic: () => accepting });
    try {
      expect((await stopping.request('GET', '/health/ready')).status).toBe(200);
      accepting = false;
      const ready = await stopping.request('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', reason: 'shutting down' });
      expect((await stopping.request('GET', '/health/live')).status).toBe(200);
    } finally {
      await stopping.close();
    }
  });
});
