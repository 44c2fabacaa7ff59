import { centsToAmount, OrderSnapshot, OrderSummary } from '@carthub/domain';
import { discountedLine } from '../cart/representation';

/** The contract's Order, field by field. */
export function orderRepresentation(order: OrderSnapshot) {
  return {
    ...orderFields(order),
    items: order.lines.map((line) => discountedLine(line, line.discount)),
    reservations: (order.reservations ?? []).map((r) => ({
      product_id: r.productId,
      quantity: r.quantity,
      state: r.state,
    })),
    ...timestamps(order),
  };
}

/** An order in a page of the list: the Order without `items`, and `item_count`, the number of its lines. */
export function orderSummaryRepresentation(order: OrderSummary) {
  return { ...orderFields(order), item_count: order.lineCount, ...timestamps(order) };
}

function orderFields(order: OrderSummary | OrderSnapshot) {
  return {
    order_id: order.orderId,
    customer_id: order.customerId,
    status: order.status,
    subtotal: centsToAmount(order.subtotal),
    discount: centsToAmount(order.discount),
    discount_codes: order.discountCodes.map((code) => ({
      code: code.code,
      type: code.type,
      amount: centsToAmount(code.amount),
    })),
    tax: centsToAmount(order.tax),
    shipping: centsToAmount(order.shipping),
    total_amount: centsToAmount(order.totalAmount),
    currency: order.currency,
    total_items: order.totalItems,
    payment_method: order.paymentMethod,
    shipping_address: order.shippingAddress && {
      street: order.shippingAddress.street,
      city: order.shippingAddress.city,
      state: order.shippingAddress.state,
      zip: order.shippingAddress.zip,
      country: order.shippingAddress.country,
    },
    email: order.email,
    version: order.version,
    status_history: order.statusHistory.map((entry) => ({
      status: entry.status,
      at: entry.at.toISOString(),
      reason: entry.reason,
    })),
    payment_id: order.paymentId,
    tracking_number: order.trackingNumber,
  };
}

function timestamps(order: OrderSummary | OrderSnapshot) {
  return { created_at: order.createdAt.toISOString(), updated_at: order.updatedAt.toISOString() };
}

export function checkoutResult(order: OrderSnapshot) {
  return {
    success: true,
    message: `Order placed: ${order.totalItems} item(s)`,
    order_id: order.orderId,
    total_amount: centsToAmount(order.totalAmount),
    order: orderRepresentation(order),
  };
}

export const orderLocation = (orderId: string) => `/api/v1/orders/${encodeURIComponent(orderId)}`;
