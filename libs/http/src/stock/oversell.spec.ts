import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

const address = { street: '1 Loop', city: 'Austin', state: 'TX', zip: '78701' };

/**
 * Sends every request, keeping IN_FLIGHT of them open at once (a new one goes out as each answer
 * arrives), so they race one another for the same rows. All 1,000 at once would only measure how long
 * the pool's 20 connections make the last one wait.
 */
const IN_FLIGHT = 100;
async function racing<T, R>(items: readonly T[], send: (item: T) => Promise<R>): Promise<R[]> {
  const answers: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      answers[index] = await send(items[index]);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return answers;
}

/** The contract's promise under load: no oversell, no deadlock, no 5xx, over real HTTP against the real server. */
describe('stock under concurrent checkouts', () => {
  let server: TestServer;

  beforeAll(async () => {
    // Every checkout of one product waits its turn on that product's row, holding a pool connection meanwhile; on a
    // machine the rest of the test suite keeps busy, the last of 100 in flight may wait past the default 1.5 s.
    server = await startTestServer({ stockTracking: true, poolMax: 20, connectTimeoutMs: 30_000 });
  });
  afterAll(() => server.close());

  async function fillCarts(customers: readonly string[], lines: (customer: string, index: number) => string[]) {
    // Filled a hundred at a time: arranging, not the race under test.
    for (let start = 0; start < customers.length; start += 100) {
      await Promise.all(
        customers.slice(start, start + 100).map(async (customer, offset) => {
          for (const productId of lines(customer, start + offset)) {
            const added = await server.request('POST', '/api/v1/cart/items', {
              body: { customer_id: customer, product_id: productId, product_name: productId, price: 5, quantity: 1 },
            });
            expect(added.status).toBe(200);
          }
        }),
      );
    }
  }

  const checkout = (customer: string) =>
    server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customer, payment_method: 'paypal', shipping_address: address },
    });

  /** The invariant, recomputed from the reservations themselves. */
  async function invariantHolds(): Promise<void> {
    const broken = await queryDatabase(
      server.database.url,
      `select s.product_id from stock s
        where not (0 <= s.reserved and s.reserved <= s.on_hand)
           or s.reserved <> coalesce((select sum(r.quantity) from stock_reservations r
                                       where r.product_id = s.product_id and r.state = 'reserved'), 0)`,
    );
    expect(broken).toEqual([]);
  }

  it('when 1,000 shoppers check out one unit each, racing 100 at a time, against 10 units, then exactly 10 orders and 990 × 409 OUT_OF_STOCK; cancelling them all gives the 10 back', async () => {
    await server.request('PUT', '/api/v1/stock/flash', { body: { on_hand: 10 } });
    const customers = Array.from({ length: 1000 }, (_, i) => `shopper-${i}`);
    await fillCarts(customers, () => ['flash']);

    const answers = await racing(customers, checkout);

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(990);
    expect(new Set(refused.map((answer) => answer.body.code))).toEqual(new Set(['OUT_OF_STOCK']));
    expect(refused[0].body.shortages).toEqual([{ product_id: 'flash', requested: 1, available: 0 }]);
    const stock = (await server.request('GET', '/api/v1/stock/flash')).body;
    expect(stock).toMatchObject({ on_hand: 10, reserved: 10, available: 0 });
    await invariantHolds();

    const placed = answers.filter((answer) => answer.status === 201).map((answer) => answer.body.order_id);
    const cancelled = await Promise.all(
      placed.map((id) => server.request('POST', `/api/v1/orders/${id}/cancel`, { body: {} })),
    );
    expect(cancelled.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect((await server.request('GET', '/api/v1/stock/flash')).body).toMatchObject({
      on_hand: 10,
      reserved: 0,
      available: 10,
      // set, 10 reservations, 10 releases: one version per change, so one event each, in sequence.
      version: 21,
    });
    const events = await queryDatabase<{ sequence: number }>(
      server.database.url,
      `select sequence from outbox_events where aggregate_type = 'stock' and aggregate_id = 'flash' order by sequence`,
    );
    expect(events.map((event) => event.sequence)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    await invariantHolds();
  });

  it('when multi-line checkouts that name the same products in opposite orders race, then none deadlocks and all are placed', async () => {
    await server.request('PUT', '/api/v1/stock/cross-a', { body: { on_hand: 1000 } });
    await server.request('PUT', '/api/v1/stock/cross-b', { body: { on_hand: 1000 } });
    await server.request('PUT', '/api/v1/stock/cross-c', { body: { on_hand: 1000 } });
    const customers = Array.from({ length: 200 }, (_, i) => `crosser-${i}`);
    await fillCarts(customers, (_, i) =>
      i % 2 === 0 ? ['cross-a', 'cross-b', 'cross-c'] : ['cross-c', 'cross-b', 'cross-a'],
    );

    const answers = await racing(customers, checkout);

    expect(answers.map((answer) => answer.status)).toEqual(Array(200).fill(201));
    for (const productId of ['cross-a', 'cross-b', 'cross-c']) {
      expect((await server.request('GET', `/api/v1/stock/${productId}`)).body).toMatchObject({ reserved: 200 });
    }
    await invariantHolds();
  });
});
