import { AppProcess, createTestDatabase, findFreePort, TestDatabase } from '@carthub/persistence/testing';
import { startApi } from '../test/api-process';
import { RawConnection } from '../test/raw-http';

const LIVE = 'GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n';
const READY = 'GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n';

/**
 * Open connections that have each been served once, so the server has surely taken (and counted) them.
 * One refused while the server is still closing an earlier test's connections is tried again.
 */
async function holdConnections(url: string, from: string, count: number): Promise<RawConnection[]> {
  const held: RawConnection[] = [];
  for (let attempt = 0; attempt < 50 && held.length < count; attempt++) {
    const connection = await RawConnection.open(url, from);
    if ((await connection.exchange(LIVE))?.status === 200) held.push(connection);
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(held).toHaveLength(count);
  return held;
}

/** Waits for the process to serve, on connections it closes (fetch would keep one open, taking a slot). */
async function waitUntilServing(url: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const connection = await RawConnection.open(url).catch(() => undefined);
    const response = await connection?.exchange('GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    connection?.close();
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became healthy`);
}

/** A new connection's first answer; undefined when the server closes it unanswered. */
async function firstAnswer(url: string, from: string, request = LIVE): Promise<number | undefined> {
  const connection = await RawConnection.open(url, from);
  const response = await connection.exchange(request);
  connection.close();
  return response?.status;
}

describe('connection caps, against the API process', () => {
  let database: TestDatabase;
  let api: AppProcess;
  let metricsUrl: string;
  const held: RawConnection[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const metricsPort = await findFreePort();
    api = await startApi({
      DATABASE_URL: database.url,
      HTTP_MAX_CONNECTIONS: '6',
      HTTP_MAX_CONNECTIONS_PER_ADDRESS: '3',
      METRICS_PORT: String(metricsPort),
    });
    metricsUrl = `http://127.0.0.1:${metricsPort}`;
    await waitUntilServing(api.url);
  });
  afterEach(() => held.splice(0).forEach((connection) => connection.close()));
  afterAll(async () => {
    api.child.kill('SIGTERM');
    await api.exit;
    await database.drop();
  });

  it('when one client address holds HTTP_MAX_CONNECTIONS_PER_ADDRESS connections, then its next is closed unanswered while another address is served', async () => {
    held.push(...(await holdConnections(api.url, '127.0.0.2', 3)));

    expect(await firstAnswer(api.url, '127.0.0.2')).toBeUndefined();
    expect(await firstAnswer(api.url, '127.0.0.3')).toBe(200);

    const freed = held.shift()!;
    freed.close();
    await freed.closed;
    let status: number | undefined;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) status = await firstAnswer(api.url, '127.0.0.2');
    expect(status).toBe(200);
  });

  it('when clients fill HTTP_MAX_CONNECTIONS on the public port, then the probes still answer on the metrics port', async () => {
    held.push(...(await holdConnections(api.url, '127.0.0.4', 3)), ...(await holdConnections(api.url, '127.0.0.5', 3)));
    expect(await firstAnswer(api.url, '127.0.0.6')).toBeUndefined();

    expect(await firstAnswer(metricsUrl, '127.0.0.6', LIVE)).toBe(200);
    expect(await firstAnswer(metricsUrl, '127.0.0.6', READY)).toBe(200);
    const ready = await fetch(`${metricsUrl}/health/ready`);
    expect(await ready.json()).toMatchObject({ status: 'healthy', database: 'connected' });
  });
});
