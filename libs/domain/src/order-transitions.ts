import { VersionMismatchError } from './errors';
import { Cents } from './money';
import { OrderSnapshot } from './order';
import { decidePayment, nextState, OrderAction, OrderState } from './order-lifecycle';

/** What a transition does to an order; the store adds the version, the history entry's time and the event. */
export interface OrderChange {
  readonly status: Exclude<OrderState, 'pending'>;
  readonly reason: string | null;
  /** Set by a payment; the store refuses one that already paid another order (PAYMENT_ID_IN_USE). */
  readonly paymentId?: string;
  readonly trackingNumber?: string | null;
}

export interface OrderChangeResult {
  /** The order as it now stands. */
  readonly order: OrderSnapshot;
  readonly changed: boolean;
}

/** The port for moving orders. */
export interface OrderTransitionStore {
  /**
   * In one transaction with the order's row locked: `decide` sees the order
   * as it is now and answers its change (stored under the next version, with
   * its history entry and its event), or undefined to leave it as it is, or
   * throws to refuse. ORDER_NOT_FOUND when there is no such order.
   */
  changeOrder(orderId: string, decide: (order: OrderSnapshot) => OrderChange | undefined): Promise<OrderChangeResult>;
}

interface OrderRequest {
  readonly orderId: string;
  /** From If-Match: the version the caller saw; undefined for any. */
  readonly expectedVersion?: number;
  /** Refuses (by throwing) a caller who may not move this order; sees the order under its lock. */
  readonly authorize: (order: OrderSnapshot) => void;
}

export interface PaymentRequest extends OrderRequest {
  readonly paymentId: string;
  readonly amount: Cents;
  /** ISO 4217, when the reporter names it (the provider's webhook does): must be the order's. */
  readonly currency?: string;
}

export interface MoveRequest extends OrderRequest {
  readonly action: Exclude<OrderAction, 'pay' | 'expire'>;
  readonly reason?: string | null;
  readonly trackingNumber?: string | null;
}

export interface PaymentAnswer {
  readonly order: OrderSnapshot;
  /** True when this payment had already been recorded: nothing changed. */
  readonly replayed: boolean;
}

/** The order transitions the API offers, decided on the order as it is under its row lock. */
export class OrderLifecycle {
  constructor(private readonly orders: OrderTransitionStore) {}

  /** Payments are idempotent on their id: a repeat (even after the order moved on) changes nothing. */
  async pay(request: PaymentRequest): Promise<PaymentAnswer> {
    const { order, changed } = await this.orders.changeOrder(request.orderId, (order) => {
      request.authorize(order);
      if (decidePayment(order, request.paymentId, request.amount, request.currency) === 'replay') return undefined;
      assertVersion(order, request.expectedVersion);
      return { status: 'paid', reason: null, paymentId: request.paymentId };
    });
    return { order, replayed: !changed };
  }

  async move(request: MoveRequest): Promise<OrderSnapshot> {
    const { order } = await this.orders.changeOrder(request.orderId, (order) => {
      request.authorize(order);
      assertVersion(order, request.expectedVersion);
      const status = nextState(order.status, request.action) as OrderChange['status'];
      return {
        status,
        reason: request.reason ?? null,
        ...(request.action === 'fulfil' ? { trackingNumber: request.trackingNumber ?? null } : {}),
      };
    });
    return order;
  }
}

function assertVersion(order: OrderSnapshot, expected: number | undefined): void {
  if (expected !== undefined && expected !== order.version) {
    throw new VersionMismatchError(expected, order.version, 'order');
  }
}
