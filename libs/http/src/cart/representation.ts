import { CartLine, CartSnapshot, centsToAmount, lineSubtotal, subtotalOf, totalQuantity } from '@carthub/domain';

/** The contract's Cart: fields copied one by one, so nothing internal leaks. */
export function cartRepresentation(cart: CartSnapshot) {
  return {
    customer_id: cart.customerId,
    items: cart.lines.map(lineRepresentation),
    total_items: totalQuantity(cart.lines),
    subtotal: centsToAmount(subtotalOf(cart.lines)),
    version: cart.version,
    created_at: cart.createdAt?.toISOString() ?? null,
    updated_at: cart.updatedAt?.toISOString() ?? null,
  };
}

export function mutationResult(message: string, cart: CartSnapshot) {
  return { success: true, message, cart: cartRepresentation(cart) };
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
