import { Context } from 'koa';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { HttpError } from '../errors';
import { text } from '../fields';
import { GuestTokens } from './guest-tokens';

export interface AuthSettings {
  /** HS256 shared secret. */
  readonly jwtSecret?: string;
  /** Where the identity provider publishes its signing keys (RS256, ES256, …). */
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** Oldest `iat` accepted, in seconds; tokens without `iat` are refused. */
  readonly maxTokenAgeSeconds?: number;
  /** Clock skew allowed between the identity provider and this service, in seconds. */
  readonly clockToleranceSeconds?: number;
}

export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 86_400;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const JWKS_TIMEOUT_MS = 2_000;

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Who a valid token says the caller is: a customer of the identity provider, or a guest of this service. */
export interface Principal {
  readonly subject: string;
  readonly guest: boolean;
  /** The token's `scope` claim (space separated) holds carthub:operator; never a guest. */
  readonly operator: boolean;
}

export const OPERATOR_SCOPE = 'carthub:operator';

/** Reads the caller's identity from a bearer token, or throws 401 (503 when the provider's keys cannot be had). */
export type Authenticator = (ctx: Context) => Promise<Principal>;

/** The principal a bearer token names, or throws InvalidTokenError (503 when the provider's keys cannot be had). */
export type TokenVerifier = (token: string) => Promise<Principal>;

/** A token that is not genuine, has expired, or names no valid subject. */
export class InvalidTokenError extends Error {}

/**
 * The authenticator for these settings, or undefined when authentication is
 * off (no secret, no JWKS URL). Guest tokens are verified with the service's
 * own guest key, every other token with the identity provider's.
 */
export function createAuthenticator(verify: TokenVerifier | undefined): Authenticator | undefined {
  if (!verify) return undefined;
  return async (ctx) => {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/i.exec(ctx.get('Authorization'))?.[1];
    if (!token) throw unauthorized(ctx, 'A bearer token is required');
    return verify(token).catch((error) => {
      throw error instanceof InvalidTokenError ? unauthorized(ctx, error.message) : error;
    });
  };
}

/** Verifies a token as the authenticator does (also for tokens sent in a body), or undefined when authentication is off. */
export function createTokenVerifier(settings: AuthSettings, guests: GuestTokens): TokenVerifier | undefined {
  const verify = verifier(settings);
  if (!verify) return undefined;
  const tolerance = settings.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  return async (token) => {
    if (guests.claimsGuest(token)) {
      const subject = await guests.verify(token, tolerance).catch(rejectToken);
      return { subject, guest: true, operator: false };
    }
    const { sub, scope } = await verify(token).catch(rejectToken);
    if (!sub) throw new InvalidTokenError('The token names no subject');
    // A subject that no request could name (untrimmed, control characters) would never match; say so instead.
    if (!isCustomerId(sub)) throw new InvalidTokenError('The token subject is not a valid customer id');
    return { subject: sub, guest: false, operator: hasOperatorScope(scope) };
  };
}

function hasOperatorScope(scope: unknown): boolean {
  return typeof scope === 'string' && scope.split(' ').includes(OPERATOR_SCOPE);
}

function verifier(settings: AuthSettings): ((token: string) => Promise<JWTPayload>) | undefined {
  const options = {
    issuer: settings.issuer,
    audience: settings.audience,
    requiredClaims: ['sub', 'exp', 'iat'],
    maxTokenAge: settings.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS,
    clockTolerance: settings.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
  };
  if (settings.jwtSecret) {
    const key = new TextEncoder().encode(settings.jwtSecret);
    return async (token) => (await jwtVerify(token, key, { ...options, algorithms: ['HS256'] })).payload;
  }
  if (settings.jwksUrl) {
    const keys = publishedKeys(new URL(settings.jwksUrl));
    return async (token) => (await jwtVerify(token, keys, { ...options, algorithms: ASYMMETRIC })).payload;
  }
  return undefined;
}

/** The identity provider's keys; failing to fetch them is the provider's outage, not the caller's bad token. */
function publishedKeys(url: URL): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, { timeoutDuration: JWKS_TIMEOUT_MS });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new KeysUnavailableError(error);
    }
  };
}

class KeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The identity provider keys could not be fetched', { cause });
  }
}

function rejectToken(error: unknown): never {
  if (error instanceof KeysUnavailableError) {
    throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'The identity provider cannot be reached; try again shortly');
  }
  if (error instanceof errors.JWTExpired) {
    // An identity provider's long-lived tokens meet the age limit before their expiry: say which it was.
    throw new InvalidTokenError(
      error.claim === 'iat'
        ? 'The token was issued longer ago than this service accepts (AUTH_MAX_TOKEN_AGE_SECONDS); use a fresh one'
        : 'The token has expired',
    );
  }
  if (error instanceof errors.JOSEError) throw new InvalidTokenError('The token is not valid');
  throw error;
}

const customerId = text().required();

function isCustomerId(subject: string): boolean {
  const { error, value } = customerId.validate(subject);
  return !error && value === subject;
}

export function unauthorized(ctx: Context, message: string): HttpError {
  ctx.set('WWW-Authenticate', 'Bearer');
  return new HttpError(401, 'UNAUTHORIZED', message);
}
