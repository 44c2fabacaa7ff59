// The floor's cart read and its JSON shape, shared by every floor server (tools/bench/README.md).
const AMOUNT = /^(\d{1,8})(?:\.(\d{1,2}))?$/;

export const ms = (column) => `(extract(epoch from ${column}) * 1000)::float8`;
export const LINES_JSON = (cartId) => `coalesce((select json_agg(json_build_object('product_id', i.product_id,
    'product_name', i.product_name, 'price', i.price::text, 'quantity', i.quantity) order by i.id)
    from cart_items i where i.cart_id = ${cartId}), '[]')`;

// A cart and its lines, in one statement.
const GET_CART = {
  name: 'floor_get_cart',
  text: `select c.version, ${ms('c.created_at')} as created_ms, ${ms('c.updated_at')} as updated_ms, ${LINES_JSON('c.id')} as lines
           from carts c where c.customer_id = $1`,
};

export async function readCart(pool, customerId) {
  const {
    rows: [row],
  } = await pool.query({ ...GET_CART, values: [customerId] });
  if (!row) return representation(customerId, [], 0, null, null);
  return representation(customerId, row.lines.map(toLine), row.version, row.created_ms, row.updated_ms);
}

export function toLine(row) {
  return { productId: row.product_id, productName: row.product_name, cents: cents(row.price), quantity: row.quantity };
}

export function cents(amount) {
  const match = AMOUNT.exec(amount);
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
}

export function lineRepresentation(line) {
  return {
    product_id: line.productId,
    product_name: line.productName,
    price: line.cents / 100,
    quantity: line.quantity,
    subtotal: (line.cents * line.quantity) / 100,
  };
}

export function representation(customerId, lines, version, createdMs, updatedMs) {
  let totalItems = 0;
  let subtotal = 0;
  for (const line of lines) {
    totalItems += line.quantity;
    subtotal += line.cents * line.quantity;
  }
  return {
    customer_id: customerId,
    items: lines.map(lineRepresentation),
    total_items: totalItems,
    subtotal: subtotal / 100,
    version,
    created_at: createdMs === null ? null : new Date(createdMs).toISOString(),
    updated_at: updatedMs === null ? null : new Date(updatedMs).toISOString(),
  };
}
