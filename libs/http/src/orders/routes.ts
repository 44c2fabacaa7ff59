import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import {
  centsToAmount,
  CheckoutService,
  OrderNotFoundError,
  PricesChangedError,
  StockShortageError,
  TotalChangedError,
} from '@carthub/domain';
import { shortageRepresentation } from '../stock/representation';
import { cartRepresentation, quoteRepresentation } from '../cart/representation';
import { HttpError } from '../errors';
import { bodyErrors, catalogUnavailable, commonErrors, error, replayedHeader, versionHeader } from '../responses';
import { assertMayHandleOrder } from '../auth/access';
import { AddressQuota } from '../middleware/address-quota';
import { Metrics } from '../observability/metrics';
import { defineRoute, Route } from '../routing/route';
import { sendOrder } from './lifecycle-routes';
import { checkoutResult, orderLocation, orderSummaryRepresentation } from './representation';
import { checkoutRefusalSchema, checkoutResultSchema, orderPageSchema, orderSchema } from './representation-schemas';
import {
  checkoutBody,
  checkoutIfMatchHeader,
  customerOrdersParams,
  customerOrdersQuery,
  idempotencyKeyHeader,
  orderParams,
} from './schemas';

const tag = 'orders';

/** Checkout and the order endpoints; `checkoutQuota`: orders per client address (CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE). */
export function orderRoutes(
  orders: CheckoutService,
  metrics: Metrics,
  currency: string,
  checkoutQuota?: AddressQuota,
): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/cart/checkout',
      operationId: 'checkout',
      summary: 'Turn the cart into an order, atomically; safe to retry with an Idempotency-Key',
      tag,
      access: 'customer',
      request: {
        body: checkoutBody,
        headers: { 'Idempotency-Key': idempotencyKeyHeader, 'If-Match': checkoutIfMatchHeader },
      },
      responses: {
        201: {
          description: 'the order was placed (or, for a repeated key, the first answer)',
          schema: checkoutResultSchema,
          headers: {
            Location: { description: 'the order', required: true, schema: { type: 'string', format: 'uri-reference' } },
            'Idempotent-Replayed': replayedHeader('when this is a stored answer'),
          },
        },
        ...bodyErrors,
        409: {
          description:
            'CART_EMPTY; IDEMPOTENCY_KEY_IN_USE while the key is held in flight by an earlier version of the service (a ' +
            'repeat of a running request otherwise waits for it and answers as it did); PRICES_CHANGED (catalog mode: ' +
            'changed prices are now stored in the cart; the body adds `changes`, `unavailable` and `cart`) — check out again ' +
            'to accept them; OUT_OF_STOCK (STOCK_TRACKING=on: a line is short; nothing reserved or placed; the body adds ' +
            '`shortages` and `cart`); TOTAL_CHANGED (expected_total differs; the body adds `quote`)',
          schema: checkoutRefusalSchema,
        },
        412: error(
          'VERSION_MISMATCH: If-Match names a version the cart has moved past (checked before prices, stock and ' +
            'expected_total; a repeated Idempotency-Key of a placed order answers that order whatever If-Match says)',
        ),
        ...commonErrors,
        422: error('VALIDATION_FAILED, or IDEMPOTENCY_KEY_REUSED with a different body'),
        503: catalogUnavailable,
        429: error(
          'RATE_LIMITED: too many requests, too many orders by this customer or from this address in the last minute, ' +
            'or too many open idempotency keys; see Retry-After',
        ),
      },
      customerOf: ({ body }) => body.customer_id,
      async handle(ctx, { body, headers }) {
        const key = headers['Idempotency-Key'];
        // Held while the order is placed; given back unless a new order came of it.
        const giveBack = checkoutQuota ? await checkoutQuota.take(ctx) : undefined;
        const answer = await orders
          .checkout({
            customerId: body.customer_id,
            paymentMethod: body.payment_method,
            shippingAddress: body.shipping_address,
            expectedTotal: body.expected_total,
            email: body.email,
            expectedCartVersion: headers['If-Match'],
            // The fingerprint is of the validated body, so formatting and key order do not matter.
            idempotency: key === undefined ? undefined : { key, fingerprint: sha256(stringify(body)) },
          })
          .catch((error) => {
            giveBack?.();
            throw checkoutRefusal(error, currency);
          });
        if (answer.replayed) giveBack?.();
        // A replay renders the stored order as the first answer did: the same representation, the same bytes.
        ctx.status = 201;
        ctx.body = checkoutResult(answer.order);
        ctx.set('Location', orderLocation(answer.order.orderId));
        if (answer.replayed) ctx.set('Idempotent-Replayed', 'true');
        (answer.replayed ? metrics.idempotentReplays : metrics.checkouts).inc();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/orders/:order_id',
      operationId: 'getOrder',
      summary: 'One order',
      tag,
      access: 'customer-or-operator-read',
      request: { params: orderParams },
      responses: {
        200: { description: 'the order', schema: orderSchema, headers: { ETag: versionHeader('"<version>"') } },
        404: error('ORDER_NOT_FOUND'),
        ...commonErrors,
      },
      async handle(ctx, { params }) {
        const order = await orders.getOrder(params.order_id);
        // Another customer's order answers exactly like a missing one: no existence oracle. Operators see all.
        assertMayHandleOrder(ctx, order.customerId, () => new OrderNotFoundError(params.order_id));
        sendOrder(ctx, order);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/customers/:customer_id/orders',
      operationId: 'listOrders',
      summary: "A customer's orders, newest first, a page at a time, each as an OrderSummary (no items)",
      tag,
      access: 'customer-or-operator-read',
      request: { params: customerOrdersParams, query: customerOrdersQuery },
      responses: { 200: { description: 'one page', schema: orderPageSchema }, ...commonErrors },
      customerOf: ({ params }) => params.customer_id,
      async handle(ctx, { params, query }) {
        const page = await orders.listOrders(params.customer_id, { limit: query.limit, cursor: query.cursor });
        ctx.body = { orders: page.orders.map(orderSummaryRepresentation), next_cursor: page.nextCursor ?? null };
      },
    }),
  ];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** PRICES_CHANGED, OUT_OF_STOCK and TOTAL_CHANGED carry what the shopper must see to decide: the contract's extra fields. */
function checkoutRefusal(error: unknown, currency: string): unknown {
  if (error instanceof PricesChangedError) {
    const changes = error.changes.map((change) => ({
      product_id: change.productId,
      old_price: centsToAmount(change.oldPrice),
      price: centsToAmount(change.price),
    }));
    const extra = { changes, unavailable: error.unavailable, cart: cartRepresentation(error.cart, currency) };
    return new HttpError(409, error.code, error.message, undefined, undefined, extra);
  }
  if (error instanceof StockShortageError) {
    const extra = {
      shortages: error.shortages.map(shortageRepresentation),
      ...(error.cart ? { cart: cartRepresentation(error.cart, currency) } : {}),
    };
    return new HttpError(409, error.code, error.message, undefined, undefined, extra);
  }
  if (error instanceof TotalChangedError) {
    const extra = { quote: quoteRepresentation(error.quote, currency) };
    return new HttpError(409, error.code, error.message, undefined, undefined, extra);
  }
  return error;
}
