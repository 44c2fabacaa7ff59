import { Context } from 'koa';
import { HttpError } from '../errors';

export function versionTag(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match: "N"` header asks for, or undefined without one
 * (or with `*`). A header that names no version we could ever have fails the
 * precondition, as RFC 9110 says it must.
 */
export function expectedVersion(ctx: Context): number | undefined {
  const header = ctx.get('If-Match').trim();
  if (header === '' || header === '*') return undefined;
  const match = /^"(\d{1,15})"$/.exec(header);
  if (!match) throw new HttpError(412, 'VERSION_MISMATCH', 'If-Match must be one strong version tag, such as "3"');
  return Number(match[1]);
}

/**
 * Whether `If-None-Match` already names this version, so a 304 will do.
 * Compared weakly (RFC 9110 §13.1.2); decided here, not by Koa's `fresh`,
 * which ignores the header whenever the request says `Cache-Control: no-cache`,
 * as fetch() adds to every conditional request.
 */
export function clientHasVersion(ctx: Context, version: number): boolean {
  const header = ctx.get('If-None-Match');
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === versionTag(version));
}
