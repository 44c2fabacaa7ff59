import { CartEvent, DomainEvent, EventSerializer, OrderEvent, StockEvent } from '@carthub/domain';
import { lineRepresentation } from '../cart/representation';
import { orderRepresentation } from '../orders/representation';
import { discountCodeRepresentation } from '../discounts/representation';

/** The contract's envelope for one event, with `data` in the same JSON shapes the REST API answers with. */
export const serializeEvent: EventSerializer = (event: DomainEvent) => ({
  id: event.id,
  type: event.change.type,
  aggregate_type: event.aggregateType,
  aggregate_id: event.aggregateId,
  sequence: event.sequence,
  occurred_at: event.occurredAt.toISOString(),
  schema_version: 1,
  data: dataOf(event),
});

function dataOf(event: DomainEvent): object {
  switch (event.aggregateType) {
    case 'order':
      return orderData(event.change);
    case 'stock':
      return stockData(event.change);
    case 'discount_code':
      return { discount_code: discountCodeRepresentation(event.change.discountCode) };
    case 'cart':
      return cartData(event.change);
  }
}

function stockData(change: StockEvent): object {
  return {
    product_id: change.productId,
    on_hand: change.onHand,
    reserved: change.reserved,
    available: change.available,
    reason: change.reason,
    ...(change.orderId === undefined ? {} : { order_id: change.orderId }),
  };
}

function orderData(change: OrderEvent): object {
  const order = orderRepresentation(change.order);
  return change.type === 'order.reassigned' ? { order, previous_customer_id: change.previousCustomerId } : { order };
}

function cartData(change: CartEvent): object {
  switch (change.type) {
    case 'cart.item_added':
    case 'cart.item_updated':
      return { product_id: change.productId, line: lineRepresentation(change.line) };
    case 'cart.item_removed':
      return { product_id: change.productId, line: null };
    case 'cart.cleared':
      return { reason: change.reason, remaining: change.remaining.map(lineRepresentation) };
    case 'cart.merged':
      return { source_customer_id: change.sourceCustomerId, strategy: change.strategy };
    case 'cart.expired':
      return {};
    case 'cart.discount_code_added':
    case 'cart.discount_code_removed':
      return { code: change.code };
  }
}
