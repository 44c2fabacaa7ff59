import {
  CartChange,
  CartQuote,
  CartLine,
  CartSnapshot,
  CartWarning,
  centsToAmount,
  lineSubtotal,
  subtotalOf,
  totalQuantity,
} from '@carthub/domain';

/** The contract's Cart: fields copied one by one, so nothing internal leaks. */
export function cartRepresentation(cart: CartSnapshot, currency: string) {
  return {
    customer_id: cart.customerId,
    items: cart.lines.map(lineRepresentation),
    total_items: totalQuantity(cart.lines),
    subtotal: centsToAmount(subtotalOf(cart.lines)),
    currency,
    version: cart.version,
    created_at: cart.createdAt?.toISOString() ?? null,
    updated_at: cart.updatedAt?.toISOString() ?? null,
    expires_at: cart.expiresAt?.toISOString() ?? null,
  };
}

export function mutationResult(message: string, change: CartChange, currency: string) {
  return {
    success: true,
    message,
    cart: cartRepresentation(change.cart, currency),
    warnings: change.warnings.map(warningRepresentation),
  };
}

export function warningRepresentation(warning: CartWarning) {
  switch (warning.code) {
    case 'PRICE_CHANGED':
      return {
        code: warning.code,
        product_id: warning.productId,
        price: centsToAmount(warning.price),
        client_price: centsToAmount(warning.clientPrice),
      };
    case 'QUANTITY_LIMITED':
      return {
        code: warning.code,
        product_id: warning.productId,
        requested: warning.requested,
        quantity: warning.quantity,
      };
    case 'CART_FULL':
    case 'PRODUCT_UNAVAILABLE':
      return { code: warning.code, product_id: warning.productId };
  }
}

/** A cart line or an order line: the same fields either way. */
export function lineRepresentation(line: CartLine) {
  return {
    product_id: line.productId,
    product_name: line.productName,
    price: centsToAmount(line.unitPrice),
    quantity: line.quantity,
    subtotal: centsToAmount(lineSubtotal(line)),
  };
}

export function quoteRepresentation(quote: CartQuote, currency: string) {
  return {
    subtotal: centsToAmount(quote.subtotal),
    tax: centsToAmount(quote.tax),
    shipping: centsToAmount(quote.shipping),
    total: centsToAmount(quote.total),
    currency,
    cart_version: quote.cartVersion,
  };
}
