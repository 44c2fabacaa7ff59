import { randomBytes } from 'node:crypto';
import { base32nopad } from '@scure/base';
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';
import { GUEST_ID_PREFIX } from '@carthub/domain';

export interface GuestSettings {
  /** HS256 secret for guest tokens; without one, a random secret per process (fine only with auth off). */
  readonly tokenSecret?: string;
  readonly tokenTtlSeconds?: number;
}

export const DEFAULT_GUEST_TOKEN_TTL_SECONDS = 2_592_000;

export interface GuestSession {
  readonly customerId: string;
  readonly token: string;
  readonly expiresAt: Date;
}

/** The service's own tokens for guest shoppers: it signs them, and only it verifies them. */
export interface GuestTokens {
  issue(): Promise<GuestSession>;
  /** Whether a token claims to be a guest token (unverified), to pick the key that must verify it. */
  claimsGuest(token: string): boolean;
  /** The guest id a genuine, unexpired guest token names; throws a jose error otherwise. */
  verify(token: string, clockToleranceSeconds: number): Promise<string>;
}

const ISSUER = 'carthub-guest';
const ID_BYTES = 16;

export function guestTokens(settings: GuestSettings): GuestTokens {
  const key = settings.tokenSecret ? new TextEncoder().encode(settings.tokenSecret) : randomBytes(32);
  const ttlSeconds = settings.tokenTtlSeconds ?? DEFAULT_GUEST_TOKEN_TTL_SECONDS;
  return {
    async issue() {
      const customerId = GUEST_ID_PREFIX + base32nopad.encode(randomBytes(ID_BYTES)).toLowerCase();
      const issuedAt = Math.floor(Date.now() / 1000);
      const expiresAt = issuedAt + ttlSeconds;
      const token = await new SignJWT({ guest: true })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(ISSUER)
        .setSubject(customerId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(key);
      return { customerId, token, expiresAt: new Date(expiresAt * 1000) };
    },
    claimsGuest(token) {
      try {
        return decodeJwt(token)['guest'] === true;
      } catch {
        return false;
      }
    },
    async verify(token, clockToleranceSeconds) {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: clockToleranceSeconds,
      });
      if (payload['guest'] !== true || !payload.sub?.startsWith(GUEST_ID_PREFIX)) {
        throw new errors.JWTInvalid('Not a guest token');
      }
      return payload.sub;
    },
  };
}
