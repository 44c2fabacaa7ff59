import { Middleware } from 'koa';
import { koaBody } from 'koa-body';
import { HttpError } from '../errors';

/** Parses a JSON body up to `limitBytes`; a body of any other type is 415. */
export function jsonBody(limitBytes: number): Middleware {
  const parse = koaBody({
    json: true,
    jsonLimit: limitBytes,
    // Valid JSON that is not an object reaches validation and is refused there, with a 422.
    jsonStrict: false,
    urlencoded: false,
    text: false,
    multipart: false,
    includeUnparsed: false,
  });
  return async (ctx, next) => {
    // `is` answers null when there is no body at all, false when there is one of another type.
    if (ctx.is('application/json', '+json') === false) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    }
    if (ctx.request.length !== undefined && ctx.request.length > limitBytes) {
      throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is over ${limitBytes} bytes`);
    }
    await parse(ctx, next);
  };
}
