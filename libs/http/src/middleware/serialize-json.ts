import { Stream } from 'node:stream';
import { Context } from 'koa';

/**
 * Turns an object body into its JSON text once. Left as an object, Koa would
 * stringify it to learn its length (which compression asks for) and then
 * again to send it.
 */
export function serializeBody(ctx: Context): void {
  const { body } = ctx;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || body instanceof Stream) return;
  ctx.body = JSON.stringify(body);
}
