import { setTimeout as sleep } from 'node:timers/promises';
import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

const TTL_SECONDS = 1;
const address = { street: 's', city: 'c', state: 'WA', zip: 'z' };

describe('cart expiry (short TTLs)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ cartTtls: { customerTtlSeconds: TTL_SECONDS, guestTtlSeconds: TTL_SECONDS } });
  });
  afterAll(() => server.close());

  const add = (customerId: string, productId = 'p') =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: productId, product_name: productId, price: 2.5, quantity: 1 },
    });
  const cartOf = async (customerId: string) => (await server.request('GET', `/api/v1/cart/${customerId}`)).body;
  const pastTheTtl = () => sleep(TTL_SECONDS * 1000 + 200);
  const storedLines = async (customerId: string) =>
    (
      await queryDatabase<{ product_id: string }>(
        server.database.url,
        `select i.product_id from cart_items i join carts c on c.id = i.cart_id where c.customer_id = $1 order by i.id`,
        [customerId],
      )
    ).map((row) => row.product_id);

  it('when a cart changes, then expires_at is updated_at + the TTL, and every change moves it', async () => {
    const first = (await add('moving')).body.cart;
    expect(new Date(first.expires_at).getTime()).toBe(new Date(first.updated_at).getTime() + TTL_SECONDS * 1000);
    const second = (await add('moving', 'q')).body.cart;
    expect(new Date(second.expires_at).getTime()).toBe(new Date(second.updated_at).getTime() + TTL_SECONDS * 1000);
    expect(second.expires_at >= first.expires_at).toBe(true);
  });

  it('when a cart is past its expiry, then it reads as empty, version unchanged, and nothing is written', async () => {
    await add('stale-read');
    await pastTheTtl();
    expect(await cartOf('stale-read')).toMatchObject({ items: [], total_items: 0, version: 1, expires_at: null });
    expect(await storedLines('stale-read')).toEqual(['p']);
  });

  it('when an old line of an expired cart is changed or removed, then 404', async () => {
    await add('stale-line');
    await pastTheTtl();
    const put = await server.request('PUT', '/api/v1/cart/stale-line/items/p', { body: { quantity: 3 } });
    const removed = await server.request('DELETE', '/api/v1/cart/stale-line/items/p');
    expect([put.status, removed.status]).toEqual([404, 404]);
    expect(await cartOf('stale-line')).toMatchObject({ version: 1 });
  });

  it('when an expired cart is cleared, then nothing changes: no version move', async () => {
    await add('stale-clear');
    await pastTheTtl();
    const cleared = await server.request('DELETE', '/api/v1/cart/stale-clear');
    expect(cleared.status).toBe(200);
    expect(cleared.body.cart).toMatchObject({ items: [], version: 1 });
  });

  it('when an expired cart is checked out, then 409 CART_EMPTY and no order', async () => {
    await add('stale-checkout');
    await pastTheTtl();
    const checkout = await server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: 'stale-checkout', payment_method: 'credit_card', shipping_address: address },
    });
    expect(checkout.status).toBe(409);
    expect(checkout.body.code).toBe('CART_EMPTY');
  });

  it('when an item is added to an expired cart, then the cart starts fresh: old lines deleted, version +1', async () => {
    await add('stale-add', 'old');
    await pastTheTtl();
    const added = await add('stale-add', 'new');
    expect(added.body.cart).toMatchObject({ version: 2, items: [expect.objectContaining({ product_id: 'new' })] });
    expect(added.body.cart.items).toHaveLength(1);
    expect(await storedLines('stale-add')).toEqual(['new']);
  });

  it("when a guest's expired cart is merged, then nothing moves", async () => {
    await add('guest_stale', 'g');
    await add('merge-target', 't');
    await pastTheTtl();
    await add('merge-target', 'u');
    const merged = await server.request('POST', '/api/v1/cart/merge-target/merge', {
      body: { source_customer_id: 'guest_stale' },
    });
    expect(merged.body.cart.items.map((line: { product_id: string }) => line.product_id)).toEqual(['u']);
  });
});

describe('cart expiry (default TTLs)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("when a guest and a customer add, then the guest's cart ends after 7 days and the customer's after 30", async () => {
    const lifetime = async (customerId: string) => {
      const { cart } = (
        await server.request('POST', '/api/v1/cart/items', {
          body: { customer_id: customerId, product_id: 'p', product_name: 'P', price: 1, quantity: 1 },
        })
      ).body;
      return (new Date(cart.expires_at).getTime() - new Date(cart.updated_at).getTime()) / 1000;
    };
    expect(await lifetime('guest_week')).toBe(604_800);
    expect(await lifetime('month')).toBe(2_592_000);
  });
});
