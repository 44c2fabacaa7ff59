import { CartEvent, DomainEvent, EventSerializer } from '@carthub/domain';
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
  data: eventData(event),
});

function eventData(event: DomainEvent): object {
  switch (event.aggregateType) {
    case 'order':
      return { order: orderRepresentation(event.change.order) };
    case 'discount_code':
      return { discount_code: discountCodeRepresentation(event.change.discountCode) };
    case 'cart':
      return cartData(event.change);
  }
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
