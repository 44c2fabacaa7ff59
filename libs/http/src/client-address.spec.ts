import { startTestServer, TestServer } from '../test/test-server';

/** What the limiter answered for each request, in order. */
async function statusesFor(server: TestServer, forwardedFor: string[]): Promise<number[]> {
  const statuses = [];
  for (const header of forwardedFor) {
    statuses.push((await server.request('GET', '/api/v1/cart/c', { headers: { 'X-Forwarded-For': header } })).status);
  }
  return statuses;
}

const spoofed = (count: number, shape: (i: number) => string) => Array.from({ length: count }, (_, i) => shape(i));

describe('client address behind one trusted proxy (TRUST_PROXY)', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ settings: { rateLimit: { max: 3, windowMs: 60_000 }, trustProxy: true } });
  });
  afterEach(() => server.close());

  it('when a client writes its own X-Forwarded-For entries, then the one the proxy appended counts and they share one budget', async () => {
    const headers = spoofed(6, (i) => `10.9.${i}.1, 192.0.2.${i}, 203.0.113.50`);
    expect(await statusesFor(server, headers)).toEqual([200, 200, 200, 429, 429, 429]);
    // Another address appended by the proxy is another client.
    expect(await statusesFor(server, ['10.9.0.1, 203.0.113.51'])).toEqual([200]);
  });

  it('when the trusted entry is not an IP address, then the peer address counts, one budget for every such value', async () => {
    const headers = spoofed(5, (i) => `203.0.113.${i}, not-an-address-${i}`);
    expect(await statusesFor(server, headers)).toEqual([200, 200, 200, 429, 429]);
    expect(await statusesFor(server, ['', '999.1.1.1'])).toEqual([429, 429]);
  });
});

describe('client address behind two trusted proxies (TRUST_PROXY_HOPS=2)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      settings: { rateLimit: { max: 2, windowMs: 60_000 }, trustProxy: true, trustedProxyHops: 2 },
    });
  });
  afterAll(() => server.close());

  it('when entries are spoofed to the left of the two proxies, then the address the outer proxy saw counts', async () => {
    const headers = spoofed(4, (i) => `198.18.0.${i}, 2001:db8::7, 10.0.0.${i}`);
    expect(await statusesFor(server, headers)).toEqual([200, 200, 429, 429]);
    expect(await statusesFor(server, ['198.18.0.1, 2001:db8::8, 10.0.0.1'])).toEqual([200]);
  });
});
