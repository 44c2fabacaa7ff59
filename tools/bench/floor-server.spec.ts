import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, findFreePort, queryDatabase, TestDatabase } from '@carthub/persistence/testing';

/*
 * The bench's floor must keep working against the current schema: a floor
 * that answers errors would be measured as "fast". This drives each of its
 * operations once, over real HTTP against a migrated database.
 */
describe('bench floor server', () => {
  let database: TestDatabase;
  let floor: ChildProcess;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await findFreePort();
    url = `http://127.0.0.1:${port}`;
    floor = spawn(process.execPath, [join(__dirname, 'floor-server.mjs')], {
      env: { PATH: process.env['PATH'], PORT: String(port), DATABASE_URL: database.url },
      stdio: 'ignore',
    });
    for (let attempt = 0; attempt < 300; attempt++) {
      if ((await fetch(`${url}/api/v1/cart/nobody`).catch(() => undefined))?.status === 200) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error('the floor server never answered');
  });

  afterAll(async () => {
    floor.kill();
    await database.drop();
  });

  const send = async (method: string, path: string, body?: object, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body && JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const add = (productId: string) =>
    send('POST', '/api/v1/cart/items', {
      customer_id: 'floor',
      product_id: productId,
      product_name: `Product ${productId}`,
      price: '2.50',
      quantity: 2,
    });

  it('when a cart is changed and checked out, then every answer is the API-shaped success, and each change wrote its event', async () => {
    expect((await add('a')).status).toBe(200);
    expect((await add('b')).status).toBe(200);
    expect((await send('PUT', '/api/v1/cart/floor/items/a', { quantity: 5 })).status).toBe(200);
    expect((await send('PUT', '/api/v1/cart/floor/items/b', { quantity: 0 })).status).toBe(200);
    const cart = await send('GET', '/api/v1/cart/floor');
    expect(cart.body).toMatchObject({ version: 4, total_items: 5, subtotal: 12.5 });

    const events = await queryDatabase<{ type: string; sequence: number }>(
      database.url,
      `select type, sequence from outbox_events where aggregate_id = 'floor' order by position`,
    );
    expect(events).toEqual([
      { type: 'cart.item_added', sequence: 1 },
      { type: 'cart.item_added', sequence: 2 },
      { type: 'cart.item_updated', sequence: 3 },
      { type: 'cart.item_removed', sequence: 4 },
    ]);

    const order = {
      customer_id: 'floor',
      payment_method: 'paypal',
      shipping_address: { street: '1 Way', city: 'Town', state: 'ST', zip: '12345', country: 'US' },
    };
    const placed = await send('POST', '/api/v1/cart/checkout', order, { 'Idempotency-Key': 'floor-1' });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ success: true, total_amount: 12.5 });
    const replayed = await send('POST', '/api/v1/cart/checkout', order, { 'Idempotency-Key': 'floor-1' });
    expect(replayed).toEqual(placed);
    const empty = await send('POST', '/api/v1/cart/checkout', order, { 'Idempotency-Key': 'floor-2' });
    expect(empty.status).toBe(409);
  });
});
