import { Context, Middleware } from 'koa';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { HttpError } from '../errors';

export interface AuthSettings {
  /** HS256 shared secret. */
  readonly jwtSecret?: string;
  /** Where the identity provider publishes its signing keys (RS256, ES256, …). */
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * With a secret or a JWKS URL configured, every /api/v1 request must carry a
 * valid bearer token; its subject is the only customer the request may act for.
 * Without either, requests pass as before (the existing frontend sends no token).
 */
export function authenticate(settings: AuthSettings): Middleware | undefined {
  const verify = verifier(settings);
  if (!verify) return undefined;
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/v1/')) return next();
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/i.exec(ctx.get('Authorization'))?.[1];
    if (!token) throw unauthorized(ctx, 'A bearer token is required');
    const subject = (await verify(token).catch((error) => rejectToken(ctx, error))).sub;
    if (!subject) throw unauthorized(ctx, 'The token names no subject');
    ctx.state['subject'] = subject;
    await next();
  };
}

/** Refuses a request that acts for a customer other than the authenticated one (no-op without authentication). */
export function assertActsFor(ctx: Context, customerId: string): void {
  const subject = ctx.state['subject'];
  if (subject !== undefined && subject !== customerId) {
    throw new HttpError(403, 'FORBIDDEN', 'This token may not act for that customer');
  }
}

function verifier(settings: AuthSettings): ((token: string) => Promise<JWTPayload>) | undefined {
  const claims = { issuer: settings.issuer, audience: settings.audience, requiredClaims: ['sub', 'exp'] };
  if (settings.jwtSecret) {
    const key = new TextEncoder().encode(settings.jwtSecret);
    return async (token) => (await jwtVerify(token, key, { ...claims, algorithms: ['HS256'] })).payload;
  }
  if (settings.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 2_000 });
    return async (token) => (await jwtVerify(token, keys, { ...claims, algorithms: ASYMMETRIC })).payload;
  }
  return undefined;
}

function rejectToken(ctx: Context, error: unknown): never {
  if (error instanceof errors.JWTExpired) throw unauthorized(ctx, 'The token has expired');
  if (error instanceof errors.JOSEError) throw unauthorized(ctx, 'The token is not valid');
  throw error;
}

function unauthorized(ctx: Context, message: string): HttpError {
  ctx.set('WWW-Authenticate', 'Bearer');
  return new HttpError(401, 'UNAUTHORIZED', message);
}
