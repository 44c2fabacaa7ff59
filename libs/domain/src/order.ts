import { Cart, CartLine, subtotalOf, totalQuantity } from './cart';
import { Cents } from './money';
import { OrderState } from './order-lifecycle';
import { priceBreakdown, PricingRules } from './pricing';
import { CartDiscounts, CodeOnCart, NO_DISCOUNTS } from './discounts/discounted-cart';
import type { StockReservation } from './stock';

export const PAYMENT_METHODS = [
  'credit_card',
  'debit_card',
  'paypal',
  'apple_pay',
  'google_pay',
  'bank_transfer',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface ShippingAddress {
  readonly street: string;
  readonly city: string;
  readonly state: string;
  readonly zip: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

export type OrderStatus = 'pending';

/** An order line: the cart line, and its share of the order's discount. */
export interface OrderLine extends CartLine {
  readonly discount: Cents;
}

/** A code that applied to an order, with what it took off (free_shipping: the shipping it saved). */
export type OrderDiscountCode = Omit<CodeOnCart, 'applicable' | 'reason'>;

/** An order about to be stored: what the customer bought, at the prices in their cart. */
export interface NewOrder {
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
  readonly subtotal: Cents;
  /** The sum of the lines' discounts. */
  readonly discount: Cents;
  /** The codes that applied, in the order applied to the cart. */
  readonly discountCodes: readonly OrderDiscountCode[];
  readonly tax: Cents;
  readonly shipping: Cents;
  /** subtotal − discount + tax + shipping: what the shopper pays. */
  readonly totalAmount: Cents;
  readonly currency: string;
  readonly totalItems: number;
  readonly paymentMethod: PaymentMethod;
  readonly shippingAddress: ShippingAddress;
  /** Where the receipt goes; null when checkout was given none. */
  readonly email: string | null;
}

/** One entry of an order's history: the state it entered, when, and why (null when no reason was given). */
export interface StatusChange {
  readonly status: OrderState;
  readonly at: Date;
  readonly reason: string | null;
}

/** An order as stored. Orders stored before checkout recorded payment and address have neither (null). */
export interface OrderSnapshot extends Omit<NewOrder, 'paymentMethod' | 'shippingAddress' | 'status'> {
  readonly status: OrderState;
  /** 1 when placed, +1 per transition. */
  readonly version: number;
  /** Oldest first; the first entry is `pending`, when the order was placed. */
  readonly statusHistory: readonly StatusChange[];
  /** Null until paid; kept after a refund. */
  readonly paymentId: string | null;
  /** Null until fulfilled (and when fulfilled without one). */
  readonly trackingNumber: string | null;
  /** What the order holds of tracked products (absent when not read, as on a page of orders). */
  readonly reservations?: readonly StockReservation[];
  readonly paymentMethod: PaymentMethod | null;
  readonly shippingAddress: ShippingAddress | null;
  /** The public, unguessable id (a UUID); rows also have a serial key that is never shown. */
  readonly orderId: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface CheckoutDetails {
  readonly paymentMethod: PaymentMethod;
  readonly shippingAddress: ShippingAddress;
  readonly email?: string;
}

/** How an order's money is computed: the shop's tax and shipping rules, in its currency. */
export interface OrderPricing {
  readonly rules: PricingRules;
  readonly currency: string;
}

/** Turns a cart into an order with the same lines, priced by the same math as a quote, to the cent. */
export function orderFromCart(
  cart: Cart,
  details: CheckoutDetails,
  pricing: OrderPricing,
  discounts: CartDiscounts = NO_DISCOUNTS,
): NewOrder {
  const lines = cart.items.map((line, index) => ({ ...line, discount: discounts.lineDiscounts[index] ?? 0 }));
  const money = priceBreakdown(subtotalOf(lines), pricing.rules, details.shippingAddress, discounts);
  return {
    customerId: cart.customerId,
    status: 'pending',
    lines,
    subtotal: money.subtotal,
    discount: money.discount,
    discountCodes: discounts.codes
      .filter((code) => code.applicable)
      .map(({ code, type, amount }) => ({ code, type, amount })),
    tax: money.tax,
    shipping: money.shipping,
    totalAmount: money.total,
    currency: pricing.currency,
    totalItems: totalQuantity(lines),
    paymentMethod: details.paymentMethod,
    shippingAddress: details.shippingAddress,
    email: details.email ?? null,
  };
}
