import { cleanupExpiredCarts } from '@carthub/persistence';
import { queryDatabase } from '@carthub/persistence/testing';
import { serializeEvent } from '../events/serialize';
import { startTestServer, TestServer } from '../../test/test-server';

const OLD_CARTS = 3_000;
const TOUCHED = 40;
const ttls = { customerTtlSeconds: 30 * 86_400, guestTtlSeconds: 7 * 86_400 };

describe('the cleanup of expired carts, with live traffic alongside', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ cartTtls: ttls });
  });
  afterAll(() => server.close());

  const query = <T extends object>(text: string, values: unknown[] = []) =>
    queryDatabase<T>(server.database.url, text, values);
  const add = (customerId: string, productId: string) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: productId, product_name: productId, price: 1, quantity: 1 },
    });

  it('when thousands of carts are past their TTL, then each is emptied exactly once and no live request fails', async () => {
    // Expired: customer carts 40 days old, guest carts 8 days old. Alive: customer carts 8 days old.
    await query(`
      insert into carts (customer_id, version, updated_at)
      select case when g % 2 = 0 then 'old-' || g else 'guest_old' || g end, 1,
             now() - case when g % 2 = 0 then interval '40 days' else interval '8 days' end
        from generate_series(1, ${OLD_CARTS}) g
      union all
      select 'recent-' || g, 1, now() - interval '8 days' from generate_series(1, 50) g`);
    await query(`insert into cart_items (cart_id, product_id, product_name, price, quantity)
                 select id, 'p', 'P', 1.00, 1 from carts where customer_id ~ '^(old-|guest_old|recent-)'`);
    const touched = Array.from({ length: TOUCHED }, (_, i) => `old-${(i + 1) * 2}`);

    let cleaning = true;
    const statuses: number[] = [];
    const traffic = (async () => {
      for (let round = 0; cleaning && round < 2_000; round++) {
        const answers = await Promise.all([
          add(`live-${round % 20}`, `p${round}`),
          add(touched[round % TOUCHED], `fresh-${round}`),
          server.request('GET', `/api/v1/cart/old-${2 * ((round % 100) + 100)}`),
        ]);
        statuses.push(...answers.map((answer) => answer.status));
      }
    })();
    const emptied = await cleanupExpiredCarts({ url: server.database.url }, ttls, serializeEvent).finally(() => {
      cleaning = false;
    });
    await traffic;

    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const expiredEvents = await query<{ aggregate_id: string; sequence: number }>(
      `select aggregate_id, sequence from outbox_events where type = 'cart.expired'`,
    );
    expect(expiredEvents.length).toBe(emptied);
    const perCart = new Map<string, number>();
    for (const event of expiredEvents) perCart.set(event.aggregate_id, (perCart.get(event.aggregate_id) ?? 0) + 1);
    expect([...perCart.values()].every((count) => count === 1)).toBe(true);
    expect([...perCart.keys()].some((id) => id.startsWith('recent-') || id.startsWith('live-'))).toBe(false);
    // Every old cart no live request touched is emptied, at version 2, with its one event numbered 2.
    const untouched = await query<{ customer_id: string; version: number; lines: number }>(
      `select c.customer_id, c.version, (select count(*)::int from cart_items i where i.cart_id = c.id) as lines
         from carts c where c.customer_id ~ '^(old-|guest_old)' and not c.customer_id = any($1)`,
      [touched],
    );
    expect(untouched).toHaveLength(OLD_CARTS - TOUCHED);
    expect(
      untouched.filter((cart) => cart.version !== 2 || cart.lines !== 0 || perCart.get(cart.customer_id) !== 1),
    ).toEqual([]);
    expect(expiredEvents.filter((event) => !touched.includes(event.aggregate_id)).every((e) => e.sequence === 2)).toBe(
      true,
    );
    // A touched cart holds only what live traffic added: its old line went, by the cleanup or by starting fresh.
    const touchedLines = await query<{ product_id: string }>(
      `select i.product_id from cart_items i join carts c on c.id = i.cart_id where c.customer_id = any($1)`,
      [touched],
    );
    expect(touchedLines.filter((line) => line.product_id === 'p')).toEqual([]);
    // The recent carts are alive and kept.
    expect(
      await query(`select 1 from cart_items i join carts c on c.id = i.cart_id where c.customer_id like 'recent-%'`),
    ).toHaveLength(50);

    // A second run finds nothing left to do.
    expect(await cleanupExpiredCarts({ url: server.database.url }, ttls, serializeEvent)).toBe(0);
  });
});
