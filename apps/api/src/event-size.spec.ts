import { largestEventBytes, orderEventSize } from '@carthub/http';
import { createTestDatabase, queryDatabase, TestDatabase } from '@carthub/persistence/testing';
import { RunningServer } from './server';
import { startLocalServer } from '../test/local-server';

const limits = { maxItems: 3, maxQuantityPerItem: 99 };

/** 255 characters of 3 UTF-8 bytes each, the last one `last`: the widest text a field takes. */
const widest = (last: string) => '€'.repeat(254) + last;

/**
 * The bound the API checks CART_MAX_ITEMS against at start-up, held to the
 * events a real checkout writes: the widest lines the API accepts cost exactly
 * what the bound counts per line, and the whole event stays below it.
 */
describe('the size of order events', () => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startLocalServer(database.url, {
      CART_MAX_ITEMS: String(limits.maxItems),
      CART_MAX_QUANTITY_PER_ITEM: String(limits.maxQuantityPerItem),
    });
  });
  afterAll(async () => {
    await server.shutdown();
    await database.drop();
  });

  async function post(path: string, body: object): Promise<{ order_id?: string }> {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as { order_id?: string };
  }

  /** Places an order of `lines` lines, every text field and number at its widest; answers its event's size. */
  async function placedEventBytes(customer: string, lines: number): Promise<number> {
    for (const last of ['₠', '₡', '₢'].slice(0, lines)) {
      await post('/api/v1/cart/items', {
        customer_id: customer,
        product_id: widest(last),
        product_name: widest('€'),
        price: 99_999_999.99,
        quantity: limits.maxQuantityPerItem,
      });
    }
    // A code that takes each line's whole subtotal: every line's discount is as wide as it can be.
    const code = `ALLOFF${lines}`;
    await post('/api/v1/discount-codes', { code, type: 'percentage', value: 100 });
    await post(`/api/v1/cart/${encodeURIComponent(customer)}/discount-codes`, { code });
    const address = { street: widest('€'), city: widest('€'), state: widest('€'), zip: widest('€'), country: 'US' };
    const { order_id } = await post('/api/v1/cart/checkout', {
      customer_id: customer,
      payment_method: 'bank_transfer',
      shipping_address: address,
    });
    const [{ bytes }] = await queryDatabase<{ bytes: number }>(
      database.url,
      `select octet_length(envelope::text) as bytes from outbox_events where type = 'order.placed' and aggregate_id = $1`,
      [order_id],
    );
    return bytes;
  }

  it('when orders of the widest lines are placed, then each line costs what the bound counts, and the event stays below it', async () => {
    const twoLines = await placedEventBytes(widest('₤'), 2);
    const threeLines = await placedEventBytes(widest('₥'), 3);
    expect(threeLines - twoLines).toBe(orderEventSize(limits).bytesPerLine);
    expect(threeLines).toBeLessThan(largestEventBytes(limits));
  });
});
