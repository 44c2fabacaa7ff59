import { request } from 'node:http';
import { startTestServer, TestServer } from '../../test/test-server';

describe('the docs assets', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  /** Sends the path byte for byte: fetch would normalise dot segments and backslashes away. */
  function rawGet(path: string): Promise<{ status: number; contentType?: string; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(server.baseUrl);
      const sent = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], body }),
        );
      });
      sent.on('error', reject).end();
    });
  }

  it.each([
    ['an encoded parent segment', '/docs/assets/..%2f..%2fpackage.json'],
    ['encoded dots', '/docs/assets/%2e%2e/%2e%2e/package.json'],
    ['a raw parent segment', '/docs/assets/../../../package.json'],
    ['a NUL byte', '/docs/assets/swagger-ui.css%00.png'],
    ['backslashes', '/docs/assets/..\\..\\package.json'],
    ['an encoded backslash', '/docs/assets/..%5c..%5cpackage.json'],
    ['a malformed escape', '/docs/assets/%E0%A4%A'],
    ['a very long name', `/docs/assets/${'a'.repeat(4_000)}.js`],
    ['a very long encoded name', `/docs/assets/${'%2e'.repeat(3_000)}`],
  ])('when an asset path has %s, then 4xx in the contract shape and nothing from outside', async (_, path) => {
    const response = await rawGet(path);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.contentType).toContain('application/json');
    expect(JSON.parse(response.body)).toMatchObject({ success: false, code: expect.any(String) });
    expect(response.body).not.toContain('"dependencies"');
  });

  it('when a real asset is asked for, then it is still served', async () => {
    const response = await rawGet('/docs/assets/swagger-ui.css');
    expect(response.status).toBe(200);
    expect(response.contentType).toContain('text/css');
  });
});
