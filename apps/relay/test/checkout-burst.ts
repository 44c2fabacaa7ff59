/** What the API answered it had changed: every change writes one event (contract, "Events"). */
export interface BurstTally {
  /** Lines added, orders placed, carts emptied by checkout, payments recorded. */
  readonly changes: number;
  readonly customers: readonly string[];
  readonly orders: readonly string[];
}

export interface CheckoutBurst {
  /** Shoppers done so far. */
  finished(): number;
  /** Rejects with the first unexpected answer. */
  readonly done: Promise<BurstTally>;
}

export interface BurstOptions {
  readonly prefix: string;
  readonly shoppers: number;
  readonly concurrency: number;
  /** Shoppers from `from` on wait for `until` before they start. */
  readonly hold?: { readonly from: number; readonly until: Promise<void> };
}

interface PlacedOrder {
  readonly order_id: string;
  readonly total_amount: number;
}

const address = { street: '1 Relay Way', city: 'Portland', state: 'OR', zip: '97201' };

/**
 * Shoppers over real HTTP, `concurrency` at a time, each a fresh customer:
 * one or two lines added, a checkout with an Idempotency-Key (every fifth
 * sends it twice; the replay changes nothing), and every third order paid.
 */
export function startCheckoutBurst(apiUrl: string, options: BurstOptions): CheckoutBurst {
  const customers: string[] = [];
  const orders: string[] = [];
  let changes = 0;
  let next = 0;
  let finished = 0;

  const call = async <T = unknown>(method: string, path: string, expected: number, body: object, headers = {}) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as T;
    if (response.status !== expected) {
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    }
    return { answer, replayed: response.headers.get('idempotent-replayed') === 'true' };
  };

  async function shop(index: number): Promise<void> {
    if (options.hold && index >= options.hold.from) await options.hold.until;
    const customer = `${options.prefix}-${index}`;
    customers.push(customer);
    for (let line = 0; line <= index % 2; line++) {
      const item = { product_id: `p-${line}`, product_name: `Product ${line}`, price: 19.99, quantity: 1 + line };
      await call('POST', '/api/v1/cart/items', 200, { customer_id: customer, ...item });
      changes++;
    }
    const checkout = { customer_id: customer, payment_method: 'credit_card', shipping_address: address };
    const key = { 'idempotency-key': `checkout-${customer}` };
    const { answer: order } = await call<PlacedOrder>('POST', '/api/v1/cart/checkout', 201, checkout, key);
    changes += 2;
    orders.push(order.order_id);
    if (index % 5 === 0) {
      const replay = await call<PlacedOrder>('POST', '/api/v1/cart/checkout', 201, checkout, key);
      if (!replay.replayed || replay.answer.order_id !== order.order_id) {
        throw new Error(`the checkout replay for ${customer} was not the first answer`);
      }
    }
    if (index % 3 === 0) {
      const payment = { payment_id: `pay-${customer}`, amount: order.total_amount };
      await call('POST', `/api/v1/orders/${order.order_id}/payments`, 200, payment);
      changes++;
    }
    finished++;
  }

  async function worker(): Promise<void> {
    while (next < options.shoppers) await shop(next++);
  }

  const done = Promise.all(Array.from({ length: options.concurrency }, worker)).then(() => ({
    changes,
    customers,
    orders,
  }));
  // A test that fails before it awaits `done` must not also leave an unhandled rejection behind.
  done.catch(() => undefined);
  return { finished: () => finished, done };
}

/** Each cart's and order's version as the API reads it now, by `<aggregate type>:<id>`. */
export async function aggregateVersions(apiUrl: string, tally: BurstTally): Promise<Map<string, number>> {
  const read = async (key: string, path: string) => {
    const response = await fetch(`${apiUrl}${path}`);
    const { version } = (await response.json()) as { version: number };
    return [key, version] as const;
  };
  const reads = [
    ...tally.customers.map((customer) => () => read(`cart:${customer}`, `/api/v1/cart/${customer}`)),
    ...tally.orders.map((order) => () => read(`order:${order}`, `/api/v1/orders/${order}`)),
  ];
  const versions = new Map<string, number>();
  for (let start = 0; start < reads.length; start += 20) {
    for (const [key, version] of await Promise.all(reads.slice(start, start + 20).map((read) => read()))) {
      versions.set(key, version);
    }
  }
  return versions;
}
