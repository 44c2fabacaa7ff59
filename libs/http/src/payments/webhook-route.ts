import { Context } from 'koa';
import { OrderLifecycle } from '@carthub/domain';
import { HttpError } from '../errors';
import { RawBodyCheck } from '../middleware/json-body';
import { sendOrder } from '../orders/lifecycle-routes';
import { invalidTransitionSchema } from '../orders/lifecycle-schemas';
import { orderSchema } from '../orders/representation-schemas';
import { bodyErrors, commonErrors, error } from '../responses';
import { defineRoute, Route } from '../routing/route';
import { capturedPaymentBody, signatureHeaders } from './webhook-schemas';
import { SIGNATURE_HEADER, SignatureRefusedError, verifySignature } from './webhook-signature';

const PATH = '/api/v1/payment-webhooks';

/** The shortest PAYMENT_WEBHOOK_SECRET accepted: 256 bits, as much as the HMAC-SHA256 it keys. */
export const MIN_PAYMENT_WEBHOOK_SECRET_BYTES = 32;

/**
 * The payment provider's report of a captured payment, authenticated by its
 * signature over the raw body (no bearer token, whether authentication is on
 * or not). It pays the order exactly as an operator's payment does. Without a
 * secret the route is as absent as an unknown one (404).
 */
export function paymentWebhookRoute(lifecycle: OrderLifecycle, secret: string | undefined): Route {
  if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < MIN_PAYMENT_WEBHOOK_SECRET_BYTES) {
    throw new Error(`The payment webhook secret must be at least ${MIN_PAYMENT_WEBHOOK_SECRET_BYTES} bytes`);
  }
  return defineRoute({
    method: 'post',
    path: PATH,
    operationId: 'receivePaymentWebhook',
    summary:
      "The payment provider reports a captured payment (pending → paid), signed with PAYMENT_WEBHOOK_SECRET; idempotent on payment_id, so a provider's retries are harmless",
    tag: 'orders',
    access: 'public',
    verifyRawBody: secret === undefined ? notConfigured : signedWith(Buffer.from(secret, 'utf8')),
    request: { body: capturedPaymentBody, headers: signatureHeaders },
    responses: {
      200: {
        description: 'the order after the payment (or as it is now, for a payment already recorded)',
        schema: orderSchema,
        headers: { ETag: '"<version>"', 'Idempotent-Replayed': '"true" when this payment had already been recorded' },
      },
      ...bodyErrors,
      401: error(
        `UNAUTHORIZED: ${SIGNATURE_HEADER} missing, malformed, not matching the body, or its t too old or too new`,
      ),
      404: error('ORDER_NOT_FOUND; NOT_FOUND when the service runs without PAYMENT_WEBHOOK_SECRET'),
      409: {
        description:
          'INVALID_TRANSITION (cancelled or expired), ORDER_ALREADY_PAID (with another payment_id), ' +
          'PAYMENT_ID_IN_USE (the payment_id paid another order)',
        schema: invalidTransitionSchema,
      },
      422: error(
        'VALIDATION_FAILED; PAYMENT_AMOUNT_MISMATCH: amount is not the order total_amount; ' +
          "PAYMENT_CURRENCY_MISMATCH: currency is not the order's",
      ),
      429: commonErrors[429],
      503: commonErrors[503],
    },
    async handle(ctx, { body }) {
      const answer = await lifecycle.pay({
        orderId: body.order_id,
        paymentId: body.payment_id,
        amount: body.amount,
        currency: body.currency,
        // The signature is the provider's authority; it pays any order.
        authorize: () => undefined,
      });
      if (answer.replayed) ctx.set('Idempotent-Replayed', 'true');
      sendOrder(ctx, answer.order);
    },
  });
}

function signedWith(key: Buffer): RawBodyCheck {
  return (ctx: Context, rawBody: Buffer) => {
    try {
      verifySignature(ctx.get(SIGNATURE_HEADER), rawBody, key, Math.floor(Date.now() / 1000));
    } catch (error) {
      if (!(error instanceof SignatureRefusedError)) throw error;
      ctx.set('WWW-Authenticate', SIGNATURE_HEADER);
      throw new HttpError(401, 'UNAUTHORIZED', error.message);
    }
  };
}

const notConfigured: RawBodyCheck = (ctx) => {
  throw new HttpError(404, 'NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
};
