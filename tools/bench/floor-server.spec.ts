import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, findFreePort, queryDatabase, TestDatabase } from '@carthub/persistence/testing';

/*
 * The bench's floor must keep working against the current schema: a floor
 * that answers errors would be measured as "fast". This drives each of its
 * operations once, over real HTTP against a migrated database.
 */
async function startFloor(script: string, databaseUrl: string, env: Record<string, string> = {}) {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, script)], {
    env: { PATH: process.env['PATH'], PORT: String(port), DATABASE_URL: databaseUrl, ...env },
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 300; attempt++) {
    if ((await fetch(`${url}/api/v1/cart/nobody`).catch(() => undefined))?.status === 200) {
      return { url, stop: () => child.kill() };
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill();
  throw new Error(`${script} never answered`);
}

describe('bench floor server', () => {
  let database: TestDatabase;
  let floor: { url: string; stop: () => void };
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    floor = await startFloor('floor-server.mjs', database.url);
    url = floor.url;
  });

  afterAll(async () => {
    floor.stop();
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

  it.each([
    ['koa', {}],
    ['koa-deployed', { KOA_FLOOR_FEATURES: 'deployed' }],
  ])('when the %s floor reads a cart, then it answers exactly what the bare floor does', async (_name, env) => {
    expect((await add('c')).status).toBe(200);
    const bare = await fetch(`${url}/api/v1/cart/floor`);
    const koa = await startFloor('koa-floor.mjs', database.url, env);
    try {
      const response = await fetch(`${koa.url}/api/v1/cart/floor`, { headers: { 'X-Request-Id': 'koa-floor-1' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(await bare.json());
      expect(response.headers.get('ETag')).toBe(bare.headers.get('ETag'));
      const deployed = 'KOA_FLOOR_FEATURES' in env;
      expect(response.headers.get('X-Request-Id')).toBe(deployed ? 'koa-floor-1' : null);
      expect(response.headers.get('RateLimit-Limit')).toBe(deployed ? '1000000000' : null);
    } finally {
      koa.stop();
    }
  });
});
