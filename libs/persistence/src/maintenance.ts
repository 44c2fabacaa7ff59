import { CartTtls, EventSerializer } from '@carthub/domain';
import { expireCarts } from './cart/cart-expiry-sweep';
import { deleteExpiredIdempotencyKeys } from './orders/idempotency-keys';
import { DatabaseSettings } from './connection/database-settings';
import { withOrm } from './connection/orm-config';
import { deletePublishedOutboxEvents, OutboxRetention } from './outbox/outbox';
import { OutboxWriter } from './outbox/outbox-writer';
import { expireUnpaidOrders, OrderExpiry } from './orders/order-transitions';

/** Deletes idempotency keys past their 24 hours; answers how many went. */
export function cleanupExpiredKeys(settings: DatabaseSettings): Promise<number> {
  return withOrm(settings, deleteExpiredIdempotencyKeys);
}

/** Deletes outbox events published longer ago than the retention; answers how many went. */
export function cleanupPublishedEvents(settings: DatabaseSettings, retention: OutboxRetention): Promise<number> {
  return withOrm(settings, (orm) => deletePublishedOutboxEvents(orm, retention));
}

/** Empties carts past their expiry, writing a `cart.expired` event each; answers how many were emptied. */
export function cleanupExpiredCarts(
  settings: DatabaseSettings,
  ttls: CartTtls,
  serialize: EventSerializer,
): Promise<number> {
  return withOrm(settings, (orm) => expireCarts(orm, new OutboxWriter(serialize), ttls));
}

/** Moves pending orders past ORDER_PAYMENT_TTL_SECONDS to expired, each with its `order.expired` event; answers how many. */
export function cleanupUnpaidOrders(
  settings: DatabaseSettings,
  serialize: EventSerializer,
  expiry: OrderExpiry,
): Promise<number> {
  return withOrm(settings, (orm) => expireUnpaidOrders(orm, new OutboxWriter(serialize), expiry));
}
