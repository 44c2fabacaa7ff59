// Names and data every scenario and the seeder agree on.

export const SEEDED_CARTS = 2_000;
export const LINES_PER_CART = 5;
export const ADD_CUSTOMERS = 20_000;

export const PRODUCTS = Array.from({ length: 50 }, (_, i) => ({
  id: `prod-${i}`,
  name: `Bench product ${i}`,
  price: `${(i % 20) + 1}.99`,
}));

export const seededCustomer = (i) => `bench-${i}`;

/** The five distinct products seeded into cart i (i + 0, 10, 20, 30, 40 modulo 50), so scenarios can find its lines. */
export const seededProduct = (i, line) => PRODUCTS[(i + line * 10) % PRODUCTS.length];

export const pick = (n) => Math.floor(Math.random() * n);

export const addBody = (customerId, product, quantity = 1, price = product.price) =>
  JSON.stringify({
    customer_id: customerId,
    product_id: product.id,
    product_name: product.name,
    price,
    quantity,
  });
