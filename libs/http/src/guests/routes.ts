import Joi from 'joi';
import { GuestTokens } from '../auth/guest-tokens';
import { AddressQuota } from '../middleware/address-quota';
import { commonErrors, error } from '../responses';
import { defineRoute, Route } from '../routing/route';

const guestSessionSchema = Joi.object({
  customer_id: Joi.string()
    .pattern(/^guest_[a-z2-7]{26,}$/)
    .required()
    .description('guest_ and at least 128 random bits, RFC 4648 base32, lower case, no padding'),
  token: Joi.string().required().description('a JWT signed by this service: sub = customer_id, guest = true'),
  expires_at: Joi.string().isoDate().required().description("the token's expiry (exp)"),
}).label('GuestSession');

const { 503: unavailable } = commonErrors;

/** `quota`: guest sessions per client address (GUEST_SESSIONS_MAX_PER_ADDRESS_PER_HOUR). */
export function guestRoutes(guests: GuestTokens, quota?: AddressQuota): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/guest-sessions',
      operationId: 'createGuestSession',
      summary: 'A new guest shopper: an unguessable cart id and a token that acts only for it',
      tag: 'guests',
      access: 'public',
      responses: {
        201: { description: 'the guest session', schema: guestSessionSchema },
        429: error('RATE_LIMITED: too many requests, or too many guest sessions from this address; see Retry-After'),
        503: unavailable,
      },
      async handle(ctx) {
        if (quota) await quota.take(ctx);
        const session = await guests.issue();
        ctx.status = 201;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = {
          customer_id: session.customerId,
          token: session.token,
          expires_at: session.expiresAt.toISOString(),
        };
      },
    }),
  ];
}
