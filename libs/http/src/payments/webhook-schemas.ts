import Joi from 'joi';
import { Cents, MAX_ORDER_TOTAL_CENTS } from '@carthub/domain';
import { moneyAmount, text, typeWithMessages } from '../fields';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS } from './webhook-signature';

/** What the payment provider reports: a captured payment of one order. */
export interface CapturedPayment {
  type: 'payment.captured';
  order_id: string;
  payment_id: string;
  amount: Cents;
  currency: string;
}

const currencyType = typeWithMessages('string', {
  'string.pattern.base': '{#label} must be an ISO 4217 currency code, such as USD',
});

export const capturedPaymentBody = Joi.object<CapturedPayment, true>({
  type: Joi.string().valid('payment.captured').required(),
  order_id: text().required(),
  payment_id: text().required().description("the provider's id of the payment; one payment pays one order"),
  amount: moneyAmount(MAX_ORDER_TOTAL_CENTS).required().description("must equal the order's total_amount"),
  currency: currencyType
    .string()
    .uppercase()
    .pattern(/^[A-Za-z]{3}$/)
    .required()
    .description("ISO 4217 (any case); must be the order's currency"),
})
  .required()
  .example({
    type: 'payment.captured',
    order_id: '3f0e6a59-6b0e-4a8e-9d0e-1f2a3b4c5d6e',
    payment_id: 'pay_3Nq8xY',
    amount: 2599.98,
    currency: 'USD',
  });

export const signatureHeaders = {
  [SIGNATURE_HEADER]: Joi.string()
    .required()
    .description(
      `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with PAYMENT_WEBHOOK_SECRET>; ` +
        `t within ${SIGNATURE_TOLERANCE_SECONDS} s of the server's clock (else 401)`,
    )
    .example('t=1765180800,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd'),
};
