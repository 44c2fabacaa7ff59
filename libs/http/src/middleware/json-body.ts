import { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { pipeline, Readable, Transform } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { bodyError, isBodyErrorType } from '../errors';
import { parseJsonBytes } from './json-text';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body; undefined when the request has none. */
    body?: unknown;
  }
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const UTF8 = ['utf-8', 'utf8'];
const DECOMPRESSORS = new Map<string, () => Transform>([
  ['gzip', createGunzip],
  ['deflate', createInflate],
]);

/**
 * Reads a JSON body of up to `limitBytes` (after decompression) into `ctx.request.body`. A request
 * with no body bytes has no body, whatever its Content-Type says; any other body must be UTF-8 JSON,
 * plain, gzip or deflate. Bytes are read with raw-body and decoded here, because koa-body decodes
 * leniently (U+FFFD for bad bytes) and hands JSON.parse no way to see a number's source text.
 */
export function jsonBody(limitBytes: number): Middleware {
  return async (ctx, next) => {
    if (!announcesBody(ctx)) return next();
    if (!ctx.is(...JSON_TYPES)) throw bodyError('media.unsupported');
    const charset = ctx.request.charset.toLowerCase();
    if (charset !== '' && !UTF8.includes(charset)) throw bodyError('charset.unsupported');
    const encoding = ctx.get('Content-Encoding').trim().toLowerCase() || 'identity';
    const decompress = DECOMPRESSORS.get(encoding);
    if (encoding !== 'identity' && !decompress) throw bodyError('encoding.unsupported');
    if (ctx.request.length !== undefined && ctx.request.length > limitBytes) throw bodyError('entity.too.large');
    // A decompressor fails with the request it reads, so a client that goes away ends the read.
    const stream = decompress ? pipeline(ctx.req, decompress(), () => undefined) : ctx.req;
    const bytes = await readAll(stream, {
      limit: limitBytes,
      length: encoding === 'identity' ? ctx.request.length : undefined,
    });
    if (bytes.length > 0) ctx.request.body = parseJsonBytes(bytes);
    return next();
  };
}

function announcesBody(ctx: Context): boolean {
  return ctx.get('Transfer-Encoding') !== '' || (ctx.request.length ?? 0) > 0;
}

async function readAll(stream: Readable, options: getRawBody.Options): Promise<Buffer> {
  try {
    return await getRawBody(stream, options);
  } catch (error) {
    throw readingError(error);
  }
}

/** raw-body names its errors by `type`; zlib's (a corrupt body) and the stream's (a client gone) by `code`. */
function readingError(error: unknown): unknown {
  const { type, code } = error as { type?: unknown; code?: unknown };
  if (typeof type === 'string' && isBodyErrorType(type)) return bodyError(type);
  if (typeof code === 'string' && code.startsWith('Z_')) return bodyError('encoding.corrupt');
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return bodyError('request.aborted');
  return error;
}
