import type { CartSnapshot } from './cart';
import { DomainError } from './errors';

/** The largest `on_hand` a stocktake may set, and the largest step of one adjustment. */
export const MAX_STOCK_UNITS = 1_000_000_000;
/** Most product ids one availability question may name. */
export const MAX_AVAILABILITY_IDS = 100;

export const STOCK_RESERVATION_STATES = ['reserved', 'consumed', 'released'] as const;
export type StockReservationState = (typeof STOCK_RESERVATION_STATES)[number];

/** What one order holds of one product: units promised to it, taken when it shipped, or given back. */
export interface StockReservation {
  readonly productId: string;
  readonly quantity: number;
  readonly state: StockReservationState;
}

/** A tracked product's stock: `available` = `onHand` − `reserved`, never negative. */
export interface TrackedStock {
  readonly productId: string;
  readonly tracked: true;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  /** 1 when first tracked, +1 per change: the ETag and the sequence of its stock.changed events. */
  readonly version: number;
  readonly updatedAt: Date;
}

/** A product without a stock record: unlimited. */
export interface UntrackedStock {
  readonly productId: string;
  readonly tracked: false;
}

export type StockRecord = TrackedStock | UntrackedStock;

/** A product's availability as a product page shows it: null when untracked (unlimited). */
export interface Availability {
  readonly productId: string;
  readonly tracked: boolean;
  readonly available: number | null;
}

export const STOCK_CHANGE_REASONS = ['set', 'adjusted', 'reserved', 'released', 'consumed', 'untracked'] as const;
export type StockChangeReason = (typeof STOCK_CHANGE_REASONS)[number];

/** What one change did to one product's stock: the counts after it, why, and the order that moved it (if one did). */
export interface StockEvent {
  readonly type: 'stock.changed';
  readonly productId: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly reason: StockChangeReason;
  readonly orderId?: string;
}

/** A line checkout could not reserve: what the order asked for and what was there. */
export interface StockShortage {
  readonly productId: string;
  readonly requested: number;
  readonly available: number;
}

/** The operator's stock endpoints. `expectedVersion`: If-Match (412 when stale). */
export interface StockStore {
  find(productId: string): Promise<StockRecord>;
  /** A stocktake: `on_hand` becomes `onHand`; creates the record when absent. */
  set(productId: string, onHand: number, expectedVersion?: number): Promise<TrackedStock>;
  /** Goods received (+) or written off (−); an absent record starts at 0. */
  adjust(productId: string, delta: number, expectedVersion?: number): Promise<TrackedStock>;
  /** The product becomes untracked; refused while units are reserved. */
  untrack(productId: string, expectedVersion?: number): Promise<UntrackedStock>;
  /** In the order asked. */
  availability(productIds: readonly string[]): Promise<Availability[]>;
}

/** Adding to a cart found nothing left of the product. */
export class OutOfStockError extends DomainError {
  readonly code = 'OUT_OF_STOCK';
  constructor(readonly productId: string) {
    super(`Product ${JSON.stringify(productId)} is out of stock`);
  }
}

/** Checkout could not reserve every line: nothing was placed, reserved or changed. */
export class StockShortageError extends DomainError {
  readonly code = 'OUT_OF_STOCK';
  constructor(
    readonly shortages: readonly StockShortage[],
    /** The cart as it stands: unchanged. Set by the checkout that read it. */
    readonly cart?: CartSnapshot,
  ) {
    super('Not enough stock for every line; no order was placed');
  }
}

/** A stock change would leave fewer units on hand than are promised (or fewer than none). */
export class StockBelowReservedError extends DomainError {
  readonly code = 'STOCK_BELOW_RESERVED';
  constructor(readonly stock: StockRecord) {
    super('on_hand cannot go below reserved (or below 0); cancel orders first');
  }
}

/** An untrack while orders hold units of the product. */
export class StockReservedError extends DomainError {
  readonly code = 'STOCK_RESERVED';
  constructor(readonly stock: TrackedStock) {
    super('Units of this product are reserved by orders; it cannot become untracked');
  }
}
