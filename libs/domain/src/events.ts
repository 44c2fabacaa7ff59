import { CartLine } from './cart';
import { MergeStrategy } from './cart-merge';
import { OrderSnapshot } from './order';
import type { DiscountCode } from './discounts/discount-code';
import { StockEvent } from './stock';

/** Why a cart was emptied. */
export type ClearReason = 'cleared' | 'checkout' | 'merged';

/** What one change did to a cart; each change that moves the version produces exactly one. */
export type CartEvent =
  | { readonly type: 'cart.item_added' | 'cart.item_updated'; readonly productId: string; readonly line: CartLine }
  | { readonly type: 'cart.item_removed'; readonly productId: string; readonly line: null }
  | { readonly type: 'cart.cleared'; readonly reason: ClearReason; readonly remaining: readonly CartLine[] }
  | { readonly type: 'cart.merged'; readonly sourceCustomerId: string; readonly strategy: MergeStrategy }
  | { readonly type: 'cart.expired' }
  | { readonly type: 'cart.discount_code_added' | 'cart.discount_code_removed'; readonly code: string };

export type OrderEventType =
  | 'order.placed'
  | 'order.paid'
  | 'order.cancelled'
  | 'order.fulfilled'
  | 'order.delivered'
  | 'order.refunded'
  | 'order.expired'
  | 'order.reassigned';

/** What one change did to an order: the whole order after it, so consumers need not call back. */
export type OrderEvent =
  | { readonly type: Exclude<OrderEventType, 'order.reassigned'>; readonly order: OrderSnapshot }
  /** A guest's order moved to the customer they signed in as (a merge): who it belonged to before. */
  | { readonly type: 'order.reassigned'; readonly order: OrderSnapshot; readonly previousCustomerId: string };

/**
 * The event an order's change produces: named after the state the order
 * entered (a new order, pending, is `order.placed`), carrying the whole order.
 */
export function orderEventOf(order: OrderSnapshot): OrderEvent {
  const type = order.status === 'pending' ? 'order.placed' : (`order.${order.status}` as const);
  return { type, order };
}

/** The event of an order moved from a guest to the customer they signed in as. */
export function orderReassignedEvent(order: OrderSnapshot, previousCustomerId: string): OrderEvent {
  return { type: 'order.reassigned', order, previousCustomerId };
}

/** What an operator's change did to a discount code: the whole code after it. */
export interface DiscountCodeEvent {
  readonly type: 'discount_code.created' | 'discount_code.updated';
  readonly discountCode: DiscountCode;
}

export type EventType = CartEvent['type'] | OrderEventType | StockEvent['type'] | DiscountCodeEvent['type'];

export const EVENT_TYPES: readonly EventType[] = [
  'cart.item_added',
  'cart.item_updated',
  'cart.item_removed',
  'cart.cleared',
  'cart.merged',
  'cart.expired',
  'cart.discount_code_added',
  'cart.discount_code_removed',
  'order.placed',
  'order.paid',
  'order.cancelled',
  'order.fulfilled',
  'order.delivered',
  'order.refunded',
  'order.expired',
  'order.reassigned',
  'stock.changed',
  'discount_code.created',
  'discount_code.updated',
];

/** A change as the outbox stores it: `sequence` is the aggregate's version after it, so consumers see gaps. */
export type DomainEvent =
  | {
      readonly id: string;
      readonly aggregateType: 'cart';
      readonly aggregateId: string;
      readonly sequence: number;
      readonly occurredAt: Date;
      readonly change: CartEvent;
    }
  | {
      readonly id: string;
      readonly aggregateType: 'order';
      readonly aggregateId: string;
      readonly sequence: number;
      readonly occurredAt: Date;
      readonly change: OrderEvent;
    }
  | {
      readonly id: string;
      readonly aggregateType: 'discount_code';
      readonly aggregateId: string;
      readonly sequence: number;
      readonly occurredAt: Date;
      readonly change: DiscountCodeEvent;
    }
  | {
      readonly id: string;
      readonly aggregateType: 'stock';
      /** The product id. */
      readonly aggregateId: string;
      /** The stock record's version after the change. */
      readonly sequence: number;
      readonly occurredAt: Date;
      readonly change: StockEvent;
    };

/** Turns an event into the JSON envelope consumers read (the HTTP layer owns the JSON names). */
export type EventSerializer = (event: DomainEvent) => object;
