import { CartTtls, DEFAULT_CART_TTLS } from '@carthub/domain';
import { envPositive } from '@carthub/util';

const MAX_TTL_SECONDS = 366 * 86_400;

/** The cart TTL variables: the API and the cleanup command read the same ones (one ConfigMap). */
export const cartTtlEnvKeys = {
  CART_TTL_SECONDS: envPositive().max(MAX_TTL_SECONDS).default(DEFAULT_CART_TTLS.customerTtlSeconds),
  CART_GUEST_TTL_SECONDS: envPositive().max(MAX_TTL_SECONDS).default(DEFAULT_CART_TTLS.guestTtlSeconds),
};

export function cartTtlsFrom(value: { CART_TTL_SECONDS: number; CART_GUEST_TTL_SECONDS: number }): CartTtls {
  return { customerTtlSeconds: value.CART_TTL_SECONDS, guestTtlSeconds: value.CART_GUEST_TTL_SECONDS };
}
