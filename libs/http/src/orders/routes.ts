import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { Middleware } from 'koa';
import stringify from 'safe-stable-stringify';
import { CheckoutService } from '@carthub/domain';
import { validate } from '../validation';
import { checkoutResult, orderLocation, orderRepresentation } from './representation';
import {
  CheckoutBody,
  checkoutBody,
  customerOrdersParams,
  customerOrdersQuery,
  idempotencyKeyHeader,
  orderParams,
} from './schemas';

/** Checkout and the order endpoints. */
export function orderRoutes(router: Router, orders: CheckoutService, jsonBody: Middleware): void {
  router.post('/api/v1/cart/checkout', jsonBody, async (ctx) => {
    const body = validate<CheckoutBody>(checkoutBody, ctx.request.body, 'body');
    const key =
      ctx.get('Idempotency-Key') === ''
        ? undefined
        : validate(idempotencyKeyHeader, ctx.get('Idempotency-Key'), 'header');
    const answer = await orders.checkout(
      {
        customerId: body.customer_id,
        paymentMethod: body.payment_method,
        shippingAddress: body.shipping_address,
        // The fingerprint is of the validated body, so formatting and key order do not matter.
        idempotency: key === undefined ? undefined : { key, fingerprint: sha256(stringify(body)) },
      },
      (order) => ({ status: 201, body: checkoutResult(order) }),
    );
    ctx.status = answer.status;
    ctx.body = answer.body;
    ctx.set('Location', orderLocation((answer.body as { order_id: string }).order_id));
    if (answer.replayed) ctx.set('Idempotent-Replayed', 'true');
  });

  router.get('/api/v1/orders/:order_id', async (ctx) => {
    const { order_id } = validate(orderParams, ctx.params, 'path');
    ctx.body = orderRepresentation(await orders.getOrder(order_id));
  });

  router.get('/api/v1/customers/:customer_id/orders', async (ctx) => {
    const { customer_id } = validate(customerOrdersParams, ctx.params, 'path');
    const { limit, cursor } = validate(customerOrdersQuery, ctx.query, 'query');
    const page = await orders.listOrders(customer_id, { limit, cursor });
    ctx.body = { orders: page.orders.map(orderRepresentation), next_cursor: page.nextCursor ?? null };
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
