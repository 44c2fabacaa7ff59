import { Context } from 'koa';
import { koaBody } from 'koa-body';
import { bodyError, isBodyErrorType } from '../errors';
import { parseJsonBytes } from './json-text';
import { announcesBody } from './unread-body';

const JSON_TYPES = ['application/json', 'application/*+json'];
const UTF8 = ['utf-8', 'utf8'];
const ENCODINGS = ['identity', 'gzip', 'deflate'];

/**
 * Reads a request's body into `ctx.request.body`, or throws the contract's error for it.
 * `verifyRaw` sees the body's bytes as they arrived (after any Content-Encoding is undone;
 * empty when there is no body) before they are parsed, and throws to refuse them.
 */
export type BodyReader = (ctx: Context, verifyRaw?: RawBodyCheck) => Promise<void>;

/** Authenticates a request by its raw body (a webhook's signature); throws to refuse it. */
export type RawBodyCheck = (ctx: Context, rawBody: Buffer) => void;

const NO_BYTES = Buffer.alloc(0);

/**
 * Reads a JSON body of up to `limitBytes` (after decompression) into
 * `ctx.request.body`. A request with no body bytes has no body, whatever its
 * Content-Type says; any other body must be UTF-8 JSON, plain, gzip or deflate.
 *
 * koa-body reads (and inflates) the bytes, but as latin1: one character per
 * byte, so nothing is lost. Decoding them as UTF-8 and parsing is ours, because
 * koa-body would decode leniently (U+FFFD for bad bytes) and its JSON.parse
 * rounds numbers with no way to see their source text.
 */
export function jsonBody(limitBytes: number): BodyReader {
  const readBytes = koaBody({
    json: false,
    urlencoded: false,
    multipart: false,
    text: true,
    textTypes: JSON_TYPES,
    textLimit: limitBytes,
    encoding: 'latin1',
    onError: (error, ctx) => {
      throw readingError(error, ctx.get('Content-Encoding') !== '');
    },
  });
  return async (ctx, verifyRaw) => {
    if (!announcesBody(ctx)) {
      verifyRaw?.(ctx, NO_BYTES);
      return;
    }
    if (!ctx.is(...JSON_TYPES)) throw bodyError('media.unsupported');
    const charset = ctx.request.charset.toLowerCase();
    if (charset !== '' && !UTF8.includes(charset)) throw bodyError('charset.unsupported');
    const encoding = ctx.get('Content-Encoding').trim().toLowerCase() || 'identity';
    if (!ENCODINGS.includes(encoding)) throw bodyError('encoding.unsupported');
    // Codings are case-insensitive (RFC 9110), but the inflater beneath koa-body compares the header as sent.
    ctx.req.headers['content-encoding'] = encoding;
    if (ctx.request.length !== undefined && ctx.request.length > limitBytes) throw bodyError('entity.too.large');
    await readBytes(ctx, async () => undefined);
    const bytes = Buffer.from(String(ctx.request.body), 'latin1');
    verifyRaw?.(ctx, bytes);
    const request: { body?: unknown } = ctx.request;
    request.body = bytes.length > 0 ? parseJsonBytes(bytes) : undefined;
  };
}

/**
 * raw-body names its errors by `type`, the stream's (a client gone) by `code`.
 * Anything else while inflating is the decompressor refusing the bytes (koa-body
 * may have rewrapped zlib's error by then, without its code).
 */
function readingError(error: unknown, compressed: boolean): unknown {
  const { type, code } = error as { type?: unknown; code?: unknown };
  if (typeof type === 'string' && isBodyErrorType(type)) return bodyError(type);
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return bodyError('request.aborted');
  if (compressed || (typeof code === 'string' && code.startsWith('Z_'))) return bodyError('encoding.corrupt');
  return error;
}
