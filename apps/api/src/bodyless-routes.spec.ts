import { AppProcess, createTestDatabase, TestDatabase } from '@carthub/persistence/testing';
import { startApi, waitForHealth } from '../test/api-process';
import { RawConnection, RawResponse } from '../test/raw-http';

// 64 MiB in 1 KiB chunks: far more than any answer needs, and a bound on the loop if the server read on.
const MAX_CHUNKS = 65_536;
const CHUNK = `400\r\n${'x'.repeat(0x400)}\r\n`;

/** Routes that take no body, and the paths no route serves: what a body sent to them gets. */
describe('a body sent where none is taken, against the API process', () => {
  let database: TestDatabase;
  let api: AppProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startApi({ DATABASE_URL: database.url });
    await waitForHealth(api.url);
  });
  afterAll(async () => {
    api.child.kill('SIGTERM');
    await api.exit;
    await database.drop();
  });

  async function exchange(request: string): Promise<RawResponse> {
    const connection = await RawConnection.open(api.url);
    await connection.write(request);
    return connection.responseOnClose();
  }

  it.each([
    ['POST', '/api/v1/guest-sessions', 413],
    ['GET', '/api/v1/cart/endless', 413],
    ['DELETE', '/api/v1/cart/endless', 413],
    ['DELETE', '/api/v1/cart/endless/items/p-1', 413],
    ['GET', '/api/v1/orders/3f0e8d52-0000-4000-8000-000000000000', 413],
    ['GET', '/health', 413],
    ['GET', '/health/live', 413],
    // Not an API route: served as usual, and the connection still ends without reading the body.
    ['GET', '/docs', 200],
    ['GET', '/nowhere', 404],
  ])(
    'when %s %s gets a chunked body that never ends, then %d answers while the client still sends, with Connection: close, and the server hangs up',
    async (method, path, status) => {
      const connection = await RawConnection.open(api.url);
      await connection.write(
        `${method} ${path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      let sent = 0;
      while (sent < MAX_CHUNKS && (await connection.write(CHUNK))) sent++;

      expect(sent).toBeLessThan(MAX_CHUNKS);
      expect(connection.hasAnswer).toBe(true);
      const response = await connection.responseOnClose();
      expect(response.status).toBe(status);
      expect(response.headers['connection']).toBe('close');
      if (status === 413) {
        expect(JSON.parse(response.body)).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
      }
    },
  );

  it('when a route that takes no body gets a Content-Length body, then 413 PAYLOAD_TOO_LARGE before it is read, and the connection closes', async () => {
    const response = await exchange('GET /health/live HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n{}');
    expect(response.status).toBe(413);
    expect(response.headers['connection']).toBe('close');
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE', error: expect.stringMatching(/no/i) });
    expect(body.request_id).toBe(response.headers['x-request-id']);
  });

  it.each([
    ['Content-Length: 0', 'Content-Length: 0\r\n'],
    ['neither Content-Length nor Transfer-Encoding', ''],
    ['an empty chunked body', 'Transfer-Encoding: chunked\r\n'],
  ])('when a route that takes no body gets %s, then it has no body and is served', async (_, framing) => {
    const body = framing.startsWith('Transfer-Encoding') ? '0\r\n\r\n' : '';
    const head = `Host: t\r\nContent-Type: application/json\r\nConnection: close\r\n${framing}\r\n${body}`;
    expect((await exchange(`POST /api/v1/guest-sessions HTTP/1.1\r\n${head}`)).status).toBe(201);
    expect((await exchange(`GET /api/v1/cart/no-body HTTP/1.1\r\n${head}`)).status).toBe(200);
    expect((await exchange(`DELETE /api/v1/cart/no-body HTTP/1.1\r\n${head}`)).status).toBe(200);
  });
});
