import Joi from 'joi';
import { PAYMENT_METHODS, PaymentMethod, ShippingAddress } from '@carthub/domain';
import { text } from '../cart/schemas';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** ISO 3166-1 alpha-2, checked against the region list Node's ICU data knows. */
const country = () =>
  Joi.string()
    .trim()
    .uppercase()
    .length(2)
    .custom((code: string, helpers) =>
      /^[A-Z]{2}$/.test(code) && regionNames.of(code) ? code : helpers.error('country.unknown'),
    )
    .messages({ 'country.unknown': '{#label} must be an ISO 3166-1 alpha-2 country code' });

export interface CheckoutBody {
  customer_id: string;
  payment_method: PaymentMethod;
  shipping_address: ShippingAddress;
}

export const checkoutBody = Joi.object<CheckoutBody, true>({
  customer_id: text().required(),
  payment_method: Joi.string()
    .valid(...PAYMENT_METHODS)
    .required(),
  shipping_address: Joi.object<ShippingAddress, true>({
    street: text().required(),
    city: text().required(),
    state: text().required(),
    zip: text().required(),
    country: country().default('US'),
  }).required(),
})
  .required()
  .example({
    customer_id: 'customer-123',
    payment_method: 'credit_card',
    shipping_address: { street: '123 Main St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' },
  });

export const idempotencyKeyHeader = text().label('Idempotency-Key');

export const orderParams = Joi.object<{ order_id: string }, true>({ order_id: text().required() });

export const customerOrdersParams = Joi.object<{ customer_id: string }, true>({ customer_id: text().required() });

export const customerOrdersQuery = Joi.object<{ limit: number; cursor?: string }, true>({
  limit: Joi.number().integer().min(1).max(100).default(20),
  cursor: Joi.string().max(200),
});
