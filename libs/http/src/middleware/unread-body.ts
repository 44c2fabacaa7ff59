import { Context } from 'koa';
import { bodyError, HttpError } from '../errors';

/**
 * How long a connection answered with its request body unread stays half-closed, unread, before it is
 * reset: closing a socket with unread bytes sends a reset at once, which can destroy our answer before
 * the client (still busy sending) has read it. Two seconds, as Apache's lingering close.
 */
const LINGER_MS = 2_000;

/** True when the request says a body follows (a non-zero Content-Length, or Transfer-Encoding). */
export function announcesBody(ctx: Context): boolean {
  return ctx.get('Transfer-Encoding') !== '' || (ctx.request.length ?? 0) > 0;
}

/**
 * For a route that takes no body: a Content-Length body is refused before it is read, a chunked one
 * at its first byte; an empty chunked body is no body. Undefined when there is nothing to wait for.
 */
export function refuseBody(ctx: Context): Promise<void> | undefined {
  if (!announcesBody(ctx) || ctx.req.complete) return undefined;
  if ((ctx.request.length ?? 0) > 0) throw bodyError('entity.unexpected');
  const request = ctx.req;
  return new Promise((resolve, reject) => {
    const settle = (error?: HttpError) => {
      request.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      request.pause();
      if (error) reject(error);
      else resolve();
    };
    const onData = () => settle(bodyError('entity.unexpected'));
    const onEnd = () => settle();
    const onAbort = () => settle(bodyError('request.aborted'));
    request.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/**
 * A response sent while its request's body is still unread ends the connection, since node would
 * otherwise read that body to its end, however long, to keep the connection alive. Node closes it
 * through `destroySoon` once the response is written; here that stops reading, sends FIN and resets
 * the connection LINGER_MS later, so the client can read the answer first.
 */
export function closeUnreadConnection(ctx: Context): void {
  ctx.set('Connection', 'close');
  // A request read from is not "dumped" by node after the response (read through to its end, however long).
  ctx.req.read(0);
  const socket = ctx.req.socket;
  socket.destroySoon = () => {
    socket.pause();
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
