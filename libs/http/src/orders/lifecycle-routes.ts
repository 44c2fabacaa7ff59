import { Context } from 'koa';
import Joi from 'joi';
import {
  MoveRequest,
  ORDER_STATES,
  ORDER_TRANSITIONS,
  OrderLifecycle,
  OrderNotFoundError,
  OrderSnapshot,
} from '@carthub/domain';
import { assertMayHandleOrder } from '../auth/access';
import { versionTag } from '../cart/preconditions';
import { bodyErrors, commonErrors, error, replayedHeader, versionHeader } from '../responses';
import { defineRoute, Route } from '../routing/route';
import {
  fulfilmentBody,
  invalidTransitionSchema,
  MoveBody,
  orderIfMatch,
  orderStatesSchema,
  paymentBody,
  reasonBody,
} from './lifecycle-schemas';
import { orderRepresentation } from './representation';
import { orderSchema } from './representation-schemas';
import { orderParams } from './schemas';

const tag = 'orders';

const transitionErrors = {
  ...commonErrors,
  403: error('FORBIDDEN: only when authentication is configured; the move needs an operator (scope carthub:operator)'),
  404: error("ORDER_NOT_FOUND (also someone else's order)"),
  409: { description: 'INVALID_TRANSITION: not from the current state', schema: invalidTransitionSchema },
  412: error('VERSION_MISMATCH: If-Match names another version'),
};

const moved = {
  description: 'the order after the move',
  schema: orderSchema,
  headers: { ETag: versionHeader('"<version>"') },
};

/** The order's answer, as GET gives it: the Order, its version as ETag. */
export function sendOrder(ctx: Context, order: OrderSnapshot): void {
  ctx.set('ETag', versionTag(order.version));
  ctx.body = orderRepresentation(order);
}

const hideOrder = (orderId: string) => () => new OrderNotFoundError(orderId);

interface MoveEndpoint {
  readonly action: MoveRequest['action'];
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
}

/** The transitions of the order state machine, one endpoint each, and the table itself. */
export function orderLifecycleRoutes(lifecycle: OrderLifecycle): Route[] {
  const move = ({ action, path, operationId, summary }: MoveEndpoint, body: Joi.ObjectSchema<MoveBody | undefined>) =>
    defineRoute({
      method: 'post',
      path,
      operationId,
      summary,
      tag,
      access: 'customer',
      request: { params: orderParams, body, headers: orderIfMatch },
      responses: { 200: moved, ...bodyErrors, ...transitionErrors },
      async handle(ctx, { params, body: sent, headers }) {
        const fields = sent ?? {};
        const order = await lifecycle.move({
          orderId: params.order_id,
          action,
          expectedVersion: headers['If-Match'],
          reason: fields.reason,
          trackingNumber: fields.tracking_number,
          authorize: (found) => assertMayHandleOrder(ctx, found.customerId, hideOrder(params.order_id), action),
        });
        sendOrder(ctx, order);
      },
    });

  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/order-states',
      operationId: 'getOrderStates',
      summary: 'The order state machine: every state, and every move with its endpoint and who may make it',
      tag,
      access: 'public',
      responses: { 200: { description: 'the transition table', schema: orderStatesSchema } },
      handle(ctx) {
        ctx.body = {
          states: ORDER_STATES,
          transitions: ORDER_TRANSITIONS.map(({ from, to, endpoint, who }) => ({ from, to, endpoint, who })),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/orders/:order_id/payments',
      operationId: 'payOrder',
      summary:
        'Record a payment (pending → paid); with authentication on, operators only (the provider reports through ' +
        'POST /api/v1/payment-webhooks); idempotent on payment_id, safe beside the webhook',
      tag,
      access: 'customer',
      request: { params: orderParams, body: paymentBody, headers: orderIfMatch },
      responses: {
        200: {
          ...moved,
          headers: {
            ...moved.headers,
            'Idempotent-Replayed': replayedHeader('when this payment had already been recorded'),
          },
        },
        ...bodyErrors,
        ...transitionErrors,
        409: {
          description:
            'INVALID_TRANSITION (cancelled or expired), ORDER_ALREADY_PAID (with another payment_id), ' +
            'PAYMENT_ID_IN_USE (the payment_id paid another order)',
          schema: invalidTransitionSchema,
        },
        422: error('VALIDATION_FAILED, or PAYMENT_AMOUNT_MISMATCH: amount is not the order total_amount'),
      },
      async handle(ctx, { params, body, headers }) {
        const answer = await lifecycle.pay({
          orderId: params.order_id,
          paymentId: body.payment_id,
          amount: body.amount,
          expectedVersion: headers['If-Match'],
          authorize: (found) => assertMayHandleOrder(ctx, found.customerId, hideOrder(params.order_id), 'pay'),
        });
        if (answer.replayed) ctx.set('Idempotent-Replayed', 'true');
        sendOrder(ctx, answer.order);
      },
    }),
    move(
      {
        action: 'cancel',
        path: '/api/v1/orders/:order_id/cancel',
        operationId: 'cancelOrder',
        summary: 'Cancel an unpaid order (pending → cancelled)',
      },
      reasonBody,
    ),
    move(
      {
        action: 'fulfil',
        path: '/api/v1/orders/:order_id/fulfilment',
        operationId: 'fulfilOrder',
        summary: 'Ship a paid order (paid → fulfilled); operators only',
      },
      fulfilmentBody,
    ),
    moveWithoutBody(lifecycle),
    move(
      {
        action: 'refund',
        path: '/api/v1/orders/:order_id/refund',
        operationId: 'refundOrder',
        summary: 'Refund a paid order (paid → refunded); operators only',
      },
      reasonBody,
    ),
  ];
}

function moveWithoutBody(lifecycle: OrderLifecycle): Route {
  return defineRoute({
    method: 'post',
    path: '/api/v1/orders/:order_id/delivery',
    operationId: 'deliverOrder',
    summary: 'Record the delivery of a fulfilled order (fulfilled → delivered); operators only; no body',
    tag,
    access: 'customer',
    request: { params: orderParams, headers: orderIfMatch },
    responses: { 200: moved, ...transitionErrors },
    async handle(ctx, { params, headers }) {
      const order = await lifecycle.move({
        orderId: params.order_id,
        action: 'deliver',
        expectedVersion: headers['If-Match'],
        authorize: (found) => assertMayHandleOrder(ctx, found.customerId, hideOrder(params.order_id), 'deliver'),
      });
      sendOrder(ctx, order);
    },
  });
}
