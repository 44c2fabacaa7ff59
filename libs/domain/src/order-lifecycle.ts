import {
  InvalidTransitionError,
  OrderAlreadyPaidError,
  PaymentAmountMismatchError,
  PaymentCurrencyMismatchError,
} from './errors';
import { Cents } from './money';

export const ORDER_STATES = ['pending', 'paid', 'fulfilled', 'delivered', 'cancelled', 'expired', 'refunded'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/**
 * Who may move an order: its own customer, an operator (scope carthub:operator),
 * the payment provider (through its signed webhook), or the service itself.
 */
export type OrderActor = 'customer' | 'operator' | 'payment_provider' | 'system';

export type OrderAction = 'pay' | 'cancel' | 'fulfil' | 'deliver' | 'refund' | 'expire';

export interface OrderTransition {
  readonly action: OrderAction;
  readonly from: OrderState;
  readonly to: OrderState;
  /** The endpoint that makes the move; none for what only the service does (expiry, by the cleanup command). */
  readonly endpoint: string | null;
  readonly who: readonly OrderActor[];
}

const ORDER = '/api/v1/orders/{order_id}';

/**
 * The order state machine: every allowed move, and nothing else. A shopper
 * never says "I paid": the provider's signed webhook or an operator does.
 */
export const ORDER_TRANSITIONS: readonly OrderTransition[] = [
  { action: 'pay', from: 'pending', to: 'paid', endpoint: `POST ${ORDER}/payments`, who: ['operator'] },
  { action: 'pay', from: 'pending', to: 'paid', endpoint: 'POST /api/v1/payment-webhooks', who: ['payment_provider'] },
  {
    action: 'cancel',
    from: 'pending',
    to: 'cancelled',
    endpoint: `POST ${ORDER}/cancel`,
    who: ['customer', 'operator'],
  },
  { action: 'fulfil', from: 'paid', to: 'fulfilled', endpoint: `POST ${ORDER}/fulfilment`, who: ['operator'] },
  { action: 'deliver', from: 'fulfilled', to: 'delivered', endpoint: `POST ${ORDER}/delivery`, who: ['operator'] },
  { action: 'refund', from: 'paid', to: 'refunded', endpoint: `POST ${ORDER}/refund`, who: ['operator'] },
  { action: 'expire', from: 'pending', to: 'expired', endpoint: null, who: ['system'] },
];

/** The states an endpoint can move an order to from `state` (`[]` for a final state). */
export function allowedTransitions(state: OrderState): OrderState[] {
  return [...new Set(ORDER_TRANSITIONS.filter((t) => t.from === state && t.endpoint !== null).map((t) => t.to))];
}

/** The state `action` moves an order in `state` to, or INVALID_TRANSITION. */
export function nextState(state: OrderState, action: OrderAction): OrderState {
  const transition = ORDER_TRANSITIONS.find((t) => t.from === state && t.action === action);
  if (!transition) throw new InvalidTransitionError(state, allowedTransitions(state));
  return transition.to;
}

export function mayPerform(action: OrderAction, actor: OrderActor): boolean {
  return ORDER_TRANSITIONS.some((t) => t.action === action && t.who.includes(actor));
}

export interface PaymentTarget {
  readonly status: OrderState;
  readonly totalAmount: Cents;
  readonly currency: string;
  readonly paymentId: string | null;
}

/**
 * Whether a reported payment moves the order, or repeats one already
 * recorded. Payments are idempotent on their id: the same id again is a
 * replay whatever the order's state now; another id for an order once paid is
 * ORDER_ALREADY_PAID; a cancelled or expired order cannot be paid; a payment
 * that names its currency (the provider's) must be in the order's; the amount
 * must be the order's total to the cent.
 */
export function decidePayment(
  order: PaymentTarget,
  paymentId: string,
  amount: Cents,
  currency?: string,
): 'replay' | 'pay' {
  if (order.paymentId === paymentId) return 'replay';
  if (order.paymentId !== null) throw new OrderAlreadyPaidError();
  nextState(order.status, 'pay');
  if (currency !== undefined && currency !== order.currency) {
    throw new PaymentCurrencyMismatchError(currency, order.currency);
  }
  if (amount !== order.totalAmount) throw new PaymentAmountMismatchError(amount, order.totalAmount);
  return 'pay';
}
