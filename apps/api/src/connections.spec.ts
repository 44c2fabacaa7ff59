import { createTestDatabase, TestDatabase } from '@carthub/persistence/testing';
import { RawConnection, RawResponse } from '../test/raw-http';
import { RunningServer } from './server';
import { silentLogger, startLocalServer } from '../test/local-server';

async function exchange(url: string, request: string): Promise<RawResponse> {
  const connection = await RawConnection.open(url);
  await connection.write(request);
  return connection.responseOnClose();
}

/** The contract's error shape, with the headers every response carries, whoever answered. */
function expectContractError(response: RawResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toContain('application/json');
  const body = JSON.parse(response.body);
  expect(body).toMatchObject({ success: false, code, error: expect.any(String) });
  expect(body.request_id).toBe(response.headers['x-request-id']);
  expect(response.headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': expect.stringContaining("default-src 'none'"),
    'strict-transport-security': expect.any(String),
  });
}

describe('connections to the real server', () => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startLocalServer(database.url, {
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
    });
  });
  afterAll(async () => {
    await server.shutdown();
    await database.drop();
  });

  it('when a body over the limit never ends, then 413 with Connection: close, and the server hangs up instead of reading on', async () => {
    const connection = await RawConnection.open(server.url);
    await connection.write(
      'POST /api/v1/cart/items HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const chunk = `400\r\n${'x'.repeat(0x400)}\r\n`;
    let sent = 0;
    // 64 MiB at most: far past the 16 KiB limit, and a bound on the loop if the server kept reading.
    while (sent < 65_536 && (await connection.write(chunk))) sent++;
    const response = await connection.responseOnClose();

    expectContractError(response, 413, 'PAYLOAD_TOO_LARGE');
    expect(response.headers['connection']).toBe('close');
    expect(sent).toBeLessThan(65_536);
  });

  it.each([
    [
      'Content-Length and Transfer-Encoding together',
      'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n',
      400,
      'BAD_REQUEST',
    ],
    ['a header with a space before its colon', 'X-Smuggle : 1\r\n', 400, 'BAD_REQUEST'],
    ['headers over 16 KiB', `X-Big: ${'a'.repeat(17 * 1024)}\r\n`, 431, 'HEADERS_TOO_LARGE'],
  ])(
    'when node refuses %s, then the contract error with a request id and the security headers, and the connection closes',
    async (_, headers, status, code) => {
      const response = await exchange(
        server.url,
        `POST /api/v1/cart/items HTTP/1.1\r\nHost: t\r\n${headers}\r\n0\r\n\r\n`,
      );
      expectContractError(response, status, code);
      expect(response.headers['connection']).toBe('close');
    },
  );

  it('when a request expects something other than 100-continue, then 417 EXPECTATION_FAILED in the contract shape', async () => {
    const response = await exchange(
      server.url,
      'POST /api/v1/cart/items HTTP/1.1\r\nHost: t\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}',
    );
    expectContractError(response, 417, 'EXPECTATION_FAILED');
  });

  it('when headers stop arriving, then 408 REQUEST_TIMEOUT once HTTP_HEADERS_TIMEOUT_MS has passed, and the connection closes', async () => {
    const response = await exchange(server.url, 'GET /health HTTP/1.1\r\nHost: t\r\n');
    expectContractError(response, 408, 'REQUEST_TIMEOUT');
  });

  it('when a body stops arriving, then 408 REQUEST_TIMEOUT once HTTP_REQUEST_TIMEOUT_MS has passed, and the connection closes', async () => {
    const response = await exchange(
      server.url,
      'POST /api/v1/cart/items HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"customer_id":',
    );
    expectContractError(response, 408, 'REQUEST_TIMEOUT');
  });

  it('when a keep-alive connection sits idle past HTTP_KEEP_ALIVE_TIMEOUT_MS, then the server closes it', async () => {
    const connection = await RawConnection.open(server.url);
    await connection.write('GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n');
    const response = await connection.responseOnClose();
    expect(response.status).toBe(200);
    expect(response.headers['connection']).toBe('keep-alive');
  });

  it('when a known path is asked with a method no route has (TRACE, PROPFIND), then 405 METHOD_NOT_ALLOWED with Allow', async () => {
    for (const method of ['TRACE', 'PROPFIND']) {
      const response = await exchange(
        server.url,
        `${method} /api/v1/cart/c-1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`,
      );
      expectContractError(response, 405, 'METHOD_NOT_ALLOWED');
      expect(response.headers['allow']).toMatch(/GET.*DELETE|DELETE.*GET/);
    }
  });

  it('when an unknown path is asked with such a method, then 404 NOT_FOUND', async () => {
    const response = await exchange(server.url, 'PROPFIND /nowhere HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    expectContractError(response, 404, 'NOT_FOUND');
  });
});

describe('HTTP_MAX_CONNECTIONS', () => {
  let database: TestDatabase;
  let server: RunningServer;
  const warnings: string[] = [];
  const logger = { ...silentLogger, warn: (_: object, message?: string) => warnings.push(message ?? '') };

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startLocalServer(database.url, { HTTP_MAX_CONNECTIONS: '2' }, logger);
  });
  afterAll(async () => {
    await server.shutdown();
    await database.drop();
  });

  it('when the cap is reached, then a further connection is closed unanswered, and served again once one is free', async () => {
    const held = [await RawConnection.open(server.url), await RawConnection.open(server.url)];
    const refused = await exchange(server.url, 'GET /health/live HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    expect(refused).toMatchObject({ status: NaN, body: '' });
    expect(warnings).toEqual(['connection cap reached; closing new connections']);

    held[0]!.close();
    await held[0]!.closed;
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await exchange(server.url, 'GET /health/live HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')).status;
    }
    expect(status).toBe(200);
    held[1]!.close();
  });
});
