import { Stream } from 'node:stream';
import { Middleware } from 'koa';

/**
 * Turns an object body into its JSON text once. Left as an object, Koa would
 * stringify it to learn its length (which compression asks for) and then
 * again to send it.
 */
export function serializeJson(): Middleware {
  return async (ctx, next) => {
    await next();
    const { body } = ctx;
    if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || body instanceof Stream) return;
    ctx.body = JSON.stringify(body);
  };
}
