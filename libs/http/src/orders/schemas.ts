import Joi from 'joi';
import { Cents, MAX_ORDER_TOTAL_CENTS, PAYMENT_METHODS, PaymentMethod, ShippingAddress } from '@carthub/domain';
import { moneyAmount, receiptEmail, shippingAddress, text } from '../fields';
import { ifMatchHeader } from '../cart/preconditions';

export interface CheckoutBody {
  customer_id: string;
  payment_method: PaymentMethod;
  shipping_address: ShippingAddress;
  expected_total?: Cents;
  email?: string;
}

export const checkoutBody = Joi.object<CheckoutBody, true>({
  customer_id: text().required(),
  payment_method: Joi.string()
    .valid(...PAYMENT_METHODS)
    .required(),
  shipping_address: shippingAddress().required(),
  expected_total: moneyAmount(MAX_ORDER_TOTAL_CENTS).description(
    'optional: the total the shopper was shown; a different computed total is 409 TOTAL_CHANGED',
  ),
  email: receiptEmail().description('optional: where the receipt goes (kept on the order and in its events)'),
})
  .required()
  .example({
    customer_id: 'customer-123',
    payment_method: 'credit_card',
    shipping_address: { street: '123 Main St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' },
    email: 'shopper@example.com',
  });

export const checkoutIfMatchHeader = ifMatchHeader.description(
  '"<cart version>" (the quote\'s cart_version): place the order only if the cart is still at it (else 412)',
);

export const idempotencyKeyHeader = text().label('Idempotency-Key').example('5d1c0f7e-checkout-1');

export const orderParams = Joi.object<{ order_id: string }, true>({
  order_id: text().example('3f0e8a9c-1b2d-4c3e-8f4a-5b6c7d8e9f01').required(),
});

export const customerOrdersParams = Joi.object<{ customer_id: string }, true>({
  customer_id: text().example('customer-123').required(),
});

export const customerOrdersQuery = Joi.object<{ limit: number; cursor?: string }, true>({
  limit: Joi.number().integer().min(1).max(100).default(20).example(20),
  cursor: Joi.string().max(200),
});
