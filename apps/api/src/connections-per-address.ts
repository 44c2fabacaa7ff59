import { Server } from 'node:http';
import { Logger } from '@carthub/http';

/**
 * Caps the connections one peer address may hold open, so one client cannot take every slot of
 * HTTP_MAX_CONNECTIONS from everyone else. The address is the socket's own: behind a load balancer
 * or proxy that opens the connections, that is the balancer's, and the cap then applies to it.
 */
export function capConnectionsPerAddress(server: Server, maxPerAddress: number, logger: Logger): void {
  const open = new Map<string, number>();
  let lastWarning = 0;
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= maxPerAddress) {
      socket.destroy();
      if (Date.now() - lastWarning >= 10_000) {
        lastWarning = Date.now();
        logger.warn(
          { max_connections_per_address: maxPerAddress },
          'per-address connection cap reached; closing new connections from it',
        );
      }
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
