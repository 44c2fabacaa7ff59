import {
  CartChange,
  Cents,
  CodeOnCart,
  PriceBreakdown,
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
  const discounts = cart.discounts;
  return {
    customer_id: cart.customerId,
    items: cart.lines.map((line, index) => discountedLine(line, discounts?.lineDiscounts[index] ?? 0)),
    total_items: totalQuantity(cart.lines),
    subtotal: centsToAmount(subtotalOf(cart.lines)),
    discount: centsToAmount(discounts?.discount ?? 0),
    discount_codes: discounts ? discounts.codes.map(codeOnCartRepresentation) : unpricedCodes(cart),
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
    case 'DISCOUNT_CODE_DROPPED':
      return { code: warning.code, discount_code: warning.discountCode };
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

/** A cart or order line with its share of the discount. */
export function discountedLine(line: CartLine, discount: Cents) {
  return { ...lineRepresentation(line), discount: centsToAmount(discount) };
}

export function codeOnCartRepresentation(code: CodeOnCart) {
  return {
    code: code.code,
    type: code.type,
    applicable: code.applicable,
    reason: code.reason,
    amount: centsToAmount(code.amount),
  };
}

/** Codes of a cart no use case priced (never answered so by the routes): shown as not applying, reason unknown. */
function unpricedCodes(cart: CartSnapshot) {
  return (cart.discountCodes ?? []).map(({ code, type }) => ({
    code,
    type,
    applicable: false,
    reason: 'INACTIVE' as const,
    amount: 0,
  }));
}

export function quoteRepresentation(quote: PriceBreakdown & { readonly cartVersion: number }, currency: string) {
  return {
    subtotal: centsToAmount(quote.subtotal),
    discount: centsToAmount(quote.discount),
    tax: centsToAmount(quote.tax),
    shipping: centsToAmount(quote.shipping),
    total: centsToAmount(quote.total),
    currency,
    cart_version: quote.cartVersion,
  };
}
