import { randomUUID } from 'node:crypto';
import {
  ADD_CUSTOMERS,
  addBody,
  LINES_PER_CART,
  pick,
  PRODUCTS,
  SEEDED_CARTS,
  seededCustomer,
  seededProduct,
} from './catalog.mjs';

// Each factory returns fresh autocannon `requests` (setupRequest randomises
// every request) and, where a scenario observes more than autocannon does, a
// probe whose figures join the run's summary.

const JSON_HEADERS = { 'content-type': 'application/json' };
const ADD_PATH = '/api/v1/cart/items';
const cartPath = (customer) => `/api/v1/cart/${customer}`;
const SHIPPING = { street: '1 Bench Way', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };

let checkoutSerial = 0;

/** `target` is 'api' or 'floor'; `acks` tallies acknowledged adds of add_item. */
export function scenarioLoad(name, { target, acks }) {
  switch (name) {
    case 'get_cart':
      return { requests: [getSeededCart()] };
    case 'add_item':
      return { requests: [addForRandomCustomer(acks)] };
    case 'mixed':
      return { requests: [mixed(target)] };
    case 'checkout':
      return addThenCheckout();
    default:
      throw new Error(`unknown scenario ${name}`);
  }
}

function getSeededCart() {
  return {
    method: 'GET',
    setupRequest: (request) => ({ ...request, path: cartPath(seededCustomer(pick(SEEDED_CARTS))) }),
  };
}

function addForRandomCustomer(acks) {
  return {
    method: 'POST',
    path: ADD_PATH,
    headers: JSON_HEADERS,
    setupRequest(request, context) {
      context.customer = `cust-${pick(ADD_CUSTOMERS)}`;
      context.product = PRODUCTS[pick(PRODUCTS.length)];
      return { ...request, body: addBody(context.customer, context.product, 1, '9.99') };
    },
    onResponse(status, _body, context) {
      if (status === 200) acks.record(context.customer, context.product.id);
    },
  };
}

/**
 * 80 % GET cart, 15 % add, 5 % PUT quantity, all on seeded carts. Adds go to
 * one of the cart's own five products, so carts keep their size and rounds
 * stay comparable. The floor has no PUT: its 5 % become adds too.
 */
function mixed(target) {
  return {
    method: 'GET',
    setupRequest(request) {
      const roll = Math.random();
      const cart = pick(SEEDED_CARTS);
      const customer = seededCustomer(cart);
      const product = seededProduct(cart, pick(LINES_PER_CART));
      if (roll < 0.8) return { ...request, method: 'GET', path: cartPath(customer) };
      if (roll < 0.95 || target === 'floor') {
        return { ...request, method: 'POST', path: ADD_PATH, headers: JSON_HEADERS, body: addBody(customer, product) };
      }
      return {
        ...request,
        method: 'PUT',
        path: `${cartPath(customer)}/items/${product.id}`,
        headers: JSON_HEADERS,
        body: JSON.stringify({ quantity: 1 + pick(5) }),
      };
    },
  };
}

/**
 * Two requests per iteration on one connection: an add for a customer never
 * seen before, then its checkout with a fresh Idempotency-Key. autocannon
 * counts both; the probe counts checkouts (201) and times them alone.
 */
function addThenCheckout() {
  const probe = { checkouts: 0, latencies: [] };
  const add = {
    method: 'POST',
    path: ADD_PATH,
    headers: JSON_HEADERS,
    setupRequest(request, context) {
      context.customer = `checkout-${++checkoutSerial}`;
      return { ...request, body: addBody(context.customer, PRODUCTS[pick(PRODUCTS.length)], 1 + pick(3)) };
    },
  };
  const checkout = {
    method: 'POST',
    path: '/api/v1/cart/checkout',
    setupRequest(request, context) {
      // With one request in flight per connection, the request is written right after it is built.
      context.sentAt = performance.now();
      return {
        ...request,
        headers: { ...JSON_HEADERS, 'Idempotency-Key': randomUUID() },
        body: JSON.stringify({
          customer_id: context.customer,
          payment_method: 'credit_card',
          shipping_address: SHIPPING,
        }),
      };
    },
    onResponse(status, _body, context) {
      if (status !== 201) return;
      probe.checkouts += 1;
      probe.latencies.push(performance.now() - context.sentAt);
    },
  };
  return {
    requests: [add, checkout],
    summarize: (seconds) => ({
      checkoutsPerSec: probe.checkouts / seconds,
      checkouts: probe.checkouts,
      checkoutP50: percentile(probe.latencies, 50),
      checkoutP99: percentile(probe.latencies, 99),
    }),
  };
}

function percentile(values, p) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
