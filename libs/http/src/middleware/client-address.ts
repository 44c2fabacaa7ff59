import { isIP } from 'node:net';
import { Middleware } from 'koa';

/**
 * Behind trusted proxies Koa reads the client from X-Forwarded-For, counting
 * the app's `maxIpsCount` entries from the right (the ones those proxies
 * appended; the rest is whatever the client wrote). An entry there that is
 * not an IP address gives the peer's address instead, so no header value
 * can mint a client identity of its own.
 */
export function clientAddress(): Middleware {
  return async (ctx, next) => {
    if (!isIP(ctx.ip)) ctx.request.ip = ctx.socket.remoteAddress ?? '';
    await next();
  };
}
