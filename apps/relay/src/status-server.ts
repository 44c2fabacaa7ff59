import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from 'pino';
import { RelayMetrics } from './metrics';

export type RelayRole = 'starting' | 'active' | 'standby' | 'stopping';

export interface RelayStatus {
  role(): RelayRole;
  /** Connected to PostgreSQL (the lock connection) and to NATS. */
  connected(): { database: boolean; nats: boolean };
  /** Reads the outbox backlog into the metrics before a scrape. */
  refreshBacklog(): Promise<void>;
}

/** GET /health (200 while connected to both and active or standby) and GET /metrics. */
export async function startStatusServer(
  status: RelayStatus,
  metrics: RelayMetrics,
  address: { host: string; port: number },
  logger: Logger,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/health') {
      const role = status.role();
      const connected = status.connected();
      const healthy = connected.database && connected.nats && (role === 'active' || role === 'standby');
      response
        .writeHead(healthy ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable', role, ...connected }));
    } else if (path === '/metrics') {
      void status
        .refreshBacklog()
        .then(() => metrics.registry.metrics())
        .then(
          (body) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
          (error: Error) => {
            logger.error({ err: error }, 'metrics failed');
            response.writeHead(500).end();
          },
        );
    } else {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"status":"not found"}');
    }
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
