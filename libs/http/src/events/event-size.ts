import {
  DISCOUNT_TYPES,
  OrderLine,
  DomainEvent,
  MAX_ORDER_TOTAL_CENTS,
  MAX_UNIT_PRICE_CENTS,
  ORDER_TRANSITIONS,
  OrderSnapshot,
  OrderState,
  PAYMENT_METHODS,
} from '@carthub/domain';
import { MAX_EMAIL_LENGTH, MAX_TEXT_LENGTH } from '../fields';
import { serializeEvent } from './serialize';

/** The most an order event can weigh: so much for the order, so much more per line. */
export interface EventSize {
  readonly fixedBytes: number;
  readonly bytesPerLine: number;
}

/** What an order's event can weigh past the limits; NATS refuses a message past its max_payload (1 MiB by default). */
export interface EventLimits {
  readonly maxItems: number;
  readonly maxQuantityPerItem: number;
}

// The widest text a field accepts: every character 3 UTF-8 bytes (the most one UTF-16 unit takes in JSON,
// control characters being refused), and as many as the field takes.
const WIDEST_TEXT = '€'.repeat(MAX_TEXT_LENGTH);
const UUID = '00000000-0000-0000-0000-000000000000';
const AT = new Date('2000-01-01T00:00:00.000Z');
// The relay sends each event with its id as a header; the server counts headers in max_payload.
const HEADER_BYTES = Buffer.byteLength(`NATS/1.0\r\nNats-Msg-Id: ${UUID}\r\n\r\n`);

/**
 * The largest message an order event can be (`order.*` carry the whole
 * order; cart events carry at most the same lines with less around them),
 * as the relay publishes it: the envelope as PostgreSQL's jsonb prints it,
 * with its header. Built from the widest order the API accepts, through the
 * serializer that writes the real events.
 */
export function orderEventSize(limits: EventLimits): EventSize {
  const line: OrderLine = {
    productId: WIDEST_TEXT,
    productName: WIDEST_TEXT,
    unitPrice: MAX_UNIT_PRICE_CENTS,
    quantity: limits.maxQuantityPerItem,
    discount: MAX_UNIT_PRICE_CENTS * limits.maxQuantityPerItem,
  };
  const units = limits.maxItems * limits.maxQuantityPerItem;
  const heaviest = (lines: number) =>
    Math.max(...histories().map((history) => eventBytes(history, Array(lines).fill(line), units)));
  const one = heaviest(1);
  const bytesPerLine = heaviest(2) - one;
  return { fixedBytes: one - bytesPerLine + HEADER_BYTES, bytesPerLine };
}

export function largestEventBytes(limits: EventLimits): number {
  const size = orderEventSize(limits);
  return size.fixedBytes + limits.maxItems * size.bytesPerLine;
}

/** The most lines an order may have (at most `limits.maxItems`) for its events to stay within `maxBytes`. */
export function linesThatFit(maxBytes: number, limits: EventLimits): number {
  const size = orderEventSize(limits);
  return Math.max(0, Math.min(limits.maxItems, Math.floor((maxBytes - size.fixedBytes) / size.bytesPerLine)));
}

/** `units`: the order's total_items, the same whatever the number of lines so that each line costs the same. */
function eventBytes(history: readonly OrderState[], lines: readonly OrderLine[], units: number): number {
  const order: OrderSnapshot = {
    orderId: UUID,
    customerId: WIDEST_TEXT,
    status: history[history.length - 1],
    lines,
    subtotal: MAX_ORDER_TOTAL_CENTS,
    discount: MAX_ORDER_TOTAL_CENTS,
    // One code of each type, each as long as a code may be.
    discountCodes: DISCOUNT_TYPES.map((type) => ({ code: 'X'.repeat(40), type, amount: MAX_ORDER_TOTAL_CENTS })),
    tax: MAX_ORDER_TOTAL_CENTS,
    shipping: MAX_ORDER_TOTAL_CENTS,
    totalAmount: MAX_ORDER_TOTAL_CENTS,
    currency: 'USD',
    totalItems: units,
    paymentMethod: longest(PAYMENT_METHODS),
    shippingAddress: { street: WIDEST_TEXT, city: WIDEST_TEXT, state: WIDEST_TEXT, zip: WIDEST_TEXT, country: 'US' },
    email: 'e'.repeat(MAX_EMAIL_LENGTH),
    version: history.length,
    statusHistory: history.map((status) => ({ status, at: AT, reason: WIDEST_TEXT })),
    paymentId: WIDEST_TEXT,
    trackingNumber: WIDEST_TEXT,
    createdAt: AT,
    updatedAt: AT,
  };
  const event: DomainEvent = {
    id: UUID,
    aggregateType: 'order',
    aggregateId: UUID,
    sequence: order.version,
    occurredAt: AT,
    // The heaviest order event: the longest type, and the order with the id it belonged to.
    change: { type: 'order.reassigned', order, previousCustomerId: WIDEST_TEXT },
  };
  return Buffer.byteLength(jsonbText(serializeEvent(event)));
}

/** Every history an order can have: each path through the state machine from `pending`. */
function histories(path: readonly OrderState[] = ['pending']): OrderState[][] {
  const next = ORDER_TRANSITIONS.filter(({ from, to }) => from === path[path.length - 1] && !path.includes(to));
  return [[...path], ...next.flatMap(({ to }) => histories([...path, to]))];
}

function longest<T extends string>(values: readonly T[]): T {
  return values.reduce((widest, value) => (value.length > widest.length ? value : widest));
}

/** JSON as PostgreSQL prints a jsonb value (`{"a": 1, "b": [1, 2]}`), which is what the relay publishes. */
function jsonbText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{${fields.map(([key, field]) => `${JSON.stringify(key)}: ${jsonbText(field)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}
