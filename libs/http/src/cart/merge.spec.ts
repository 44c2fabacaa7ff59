import { SignJWT } from 'jose';
import { RunningCatalogServer } from '@carthub/catalog-server';
import { queryDatabase } from '@carthub/persistence/testing';
import { CatalogApi, startCatalogApi } from '../../test/catalog-api';
import { startTestServer, TestServer } from '../../test/test-server';

const eventsOf = (server: TestServer, aggregateId: string) =>
  queryDatabase<{ type: string; sequence: number }>(
    server.database.url,
    `select type, sequence from outbox_events where aggregate_id = $1 order by position`,
    [aggregateId],
  );

const lines = (cart: { items: { product_id: string; quantity: number }[] }) =>
  cart.items.map((line) => [line.product_id, line.quantity]);

describe('merging carts (auth off)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ limits: { maxItems: 3, maxQuantityPerItem: 10 } });
  });
  afterAll(() => server.close());

  const add = (customerId: string, productId: string, quantity: number, price = 2.5) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: productId, product_name: `${productId}@${price}`, price, quantity },
    });
  const merge = (target: string, body: object) => server.request('POST', `/api/v1/cart/${target}/merge`, { body });
  const cartOf = async (customerId: string) => (await server.request('GET', `/api/v1/cart/${customerId}`)).body;
  /** A target with a (2) and b (1); a source with b (4, at a new price) and c (3). */
  const arrange = async (name: string) => {
    const [target, source] = [`${name}-target`, `guest_${name}`];
    await add(target, 'a', 2);
    await add(target, 'b', 1);
    await add(source, 'b', 4, 3);
    await add(source, 'c', 3);
    return { target, source };
  };

  it.each([
    [
      'sum',
      [
        ['a', 2],
        ['b', 5],
        ['c', 3],
      ],
    ],
    [
      'max',
      [
        ['a', 2],
        ['b', 4],
        ['c', 3],
      ],
    ],
    [
      'keep_target',
      [
        ['a', 2],
        ['b', 1],
        ['c', 3],
      ],
    ],
    [
      'replace',
      [
        ['b', 4],
        ['c', 3],
      ],
    ],
  ])(
    'when the strategy is %s, then the target holds its lines and the source is emptied',
    async (strategy, expected) => {
      const { target, source } = await arrange(`strategy-${strategy}`);
      const merged = await merge(target, { source_customer_id: source, strategy });

      expect(merged.status).toBe(200);
      expect(merged.body).toMatchObject({ success: true, warnings: [], cart: { customer_id: target, version: 3 } });
      expect(lines(merged.body.cart)).toEqual(expected);
      const b = merged.body.cart.items.find((line: { product_id: string }) => line.product_id === 'b');
      expect(b.price).toBe(strategy === 'keep_target' ? 2.5 : 3);
      expect(await cartOf(source)).toMatchObject({ items: [], version: 3 });
      expect(await eventsOf(server, target)).toEqual([
        { type: 'cart.item_added', sequence: 1 },
        { type: 'cart.item_added', sequence: 2 },
        { type: 'cart.merged', sequence: 3 },
      ]);
      expect((await eventsOf(server, source)).at(-1)).toEqual({ type: 'cart.cleared', sequence: 3 });
    },
  );

  it('when no strategy is given, then it is sum', async () => {
    const { target, source } = await arrange('default');
    const merged = await merge(target, { source_customer_id: source });
    expect(lines(merged.body.cart)).toEqual([
      ['a', 2],
      ['b', 5],
      ['c', 3],
    ]);
  });

  it('when a sum passes the quantity limit, then the line is set to the maximum with a QUANTITY_LIMITED warning', async () => {
    await add('limited-target', 'a', 7);
    await add('guest_limited', 'a', 6);
    const merged = await merge('limited-target', { source_customer_id: 'guest_limited' });

    expect(merged.status).toBe(200);
    expect(lines(merged.body.cart)).toEqual([['a', 10]]);
    expect(merged.body.warnings).toEqual([{ code: 'QUANTITY_LIMITED', product_id: 'a', requested: 13, quantity: 10 }]);
    expect((await cartOf('guest_limited')).items).toEqual([]);
  });

  it('when the target runs out of lines, then the lines that do not fit stay in the source with CART_FULL', async () => {
    await add('full-target', 'a', 1);
    await add('full-target', 'b', 1);
    for (const product of ['c', 'd', 'e']) await add('guest_full', product, 1);
    const merged = await merge('full-target', { source_customer_id: 'guest_full' });

    expect(lines(merged.body.cart)).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    expect(merged.body.warnings).toEqual([
      { code: 'CART_FULL', product_id: 'd' },
      { code: 'CART_FULL', product_id: 'e' },
    ]);
    expect(lines(await cartOf('guest_full'))).toEqual([
      ['d', 1],
      ['e', 1],
    ]);
    expect((await eventsOf(server, 'guest_full')).at(-1)).toEqual({ type: 'cart.cleared', sequence: 4 });
  });

  it('when the same merge is repeated, then the repeat changes nothing and answers 200', async () => {
    const { target, source } = await arrange('repeat');
    const first = await merge(target, { source_customer_id: source });
    const repeat = await merge(target, { source_customer_id: source });

    expect(repeat.status).toBe(200);
    expect(repeat.body.cart).toEqual(first.body.cart);
    expect(repeat.body.warnings).toEqual([]);
    expect(await cartOf(source)).toMatchObject({ version: 3 });
    expect((await eventsOf(server, target)).length).toBe(3);
  });

  it('when the source cart is absent, then nothing changes and neither cart is created', async () => {
    await add('lonely-target', 'a', 1);
    const merged = await merge('lonely-target', { source_customer_id: 'guest_nobody' });

    expect(merged.status).toBe(200);
    expect(merged.body.cart).toMatchObject({ version: 1 });
    expect(await cartOf('guest_nobody')).toMatchObject({ version: 0, created_at: null });
  });

  it('when the target is absent, then it is created by the merge at version 1', async () => {
    await add('guest_to-new', 'a', 2);
    const merged = await merge('new-target', { source_customer_id: 'guest_to-new' });
    expect(merged.body.cart).toMatchObject({ version: 1, total_items: 2 });
    expect(await cartOf('guest_to-new')).toMatchObject({ version: 2, items: [] });
  });

  it('when 10 identical merges run at once, then exactly one merges: one version move and one event per cart', async () => {
    const { target, source } = await arrange('parallel');
    const answers = await Promise.all(Array.from({ length: 10 }, () => merge(target, { source_customer_id: source })));

    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(await cartOf(target)).toMatchObject({ version: 3, total_items: 10 });
    expect(await cartOf(source)).toMatchObject({ version: 3, items: [] });
    expect((await eventsOf(server, target)).filter((event) => event.type === 'cart.merged')).toHaveLength(1);
    expect((await eventsOf(server, source)).filter((event) => event.type === 'cart.cleared')).toHaveLength(1);
  });

  it('when merges cross (A←B and B←A) in parallel, then none deadlocks and no product is lost', async () => {
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      await add(`cross-a-${round}`, 'from-a', 1);
      await add(`cross-b-${round}`, 'from-b', 1);
    }
    const answers = await Promise.all(
      Array.from({ length: rounds }, (_, round) => [
        merge(`cross-a-${round}`, { source_customer_id: `cross-b-${round}` }),
        merge(`cross-b-${round}`, { source_customer_id: `cross-a-${round}` }),
      ]).flat(),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(rounds * 2).fill(200));
    for (let round = 0; round < rounds; round++) {
      const [a, b] = [await cartOf(`cross-a-${round}`), await cartOf(`cross-b-${round}`)];
      const held = [...lines(a), ...lines(b)].sort();
      expect(held).toEqual([
        ['from-a', 1],
        ['from-b', 1],
      ]);
    }
  });

  it('when the source is the target, then 422 VALIDATION_FAILED', async () => {
    const response = await merge('self', { source_customer_id: 'self' });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('when the strategy is unknown, then 422 VALIDATION_FAILED', async () => {
    const response = await merge('x', { source_customer_id: 'y', strategy: 'union' });
    expect(response.status).toBe(422);
  });

  it('when the OpenAPI document is read, then it documents the merge body with its strategies and default', async () => {
    const document = (await server.request('GET', '/openapi.json')).body;
    const operation = document.paths['/api/v1/cart/{customer_id}/merge'].post;
    const body = operation.requestBody.content['application/json'].schema;
    expect(body.properties.strategy).toMatchObject({ enum: ['sum', 'max', 'keep_target', 'replace'], default: 'sum' });
    expect(body.required).toEqual(['source_customer_id']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '403', '422', '503']));
    const warning = operation.responses['200'].content['application/json'].schema.properties.warnings.items;
    expect(JSON.stringify(warning)).toContain('"PRODUCT_UNAVAILABLE"');
    const cart = document.paths['/api/v1/cart/{customer_id}'].get.responses['200'].content['application/json'].schema;
    expect(cart.required).toContain('expires_at');
  });

  it('when a merge moves lines, then the merge counter counts it (a repeat does not)', async () => {
    const { target, source } = await arrange('counted');
    const before = (await server.metrics.cartsMerged.get()).values[0]?.value ?? 0;
    await merge(target, { source_customer_id: source });
    await merge(target, { source_customer_id: source });
    expect((await server.metrics.cartsMerged.get()).values[0].value).toBe(before + 1);
  });
});

describe('merging carts with authentication on', () => {
  const IDP_SECRET = 'the-identity-providers-secret-for-hs256';
  const GUEST_SECRET = 'the-services-own-secret-for-guest-tokens';
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      settings: { auth: { jwtSecret: IDP_SECRET }, guests: { tokenSecret: GUEST_SECRET } },
    });
  });
  afterAll(() => server.close());

  const customerToken = (subject: string, secret = IDP_SECRET) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  /** A signed-in customer and a guest whose cart holds one line. */
  const arrange = async (customer: string) => {
    const guest = (await server.request('POST', '/api/v1/guest-sessions')).body;
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: guest.customer_id, product_id: 'p', product_name: 'P', price: 1, quantity: 2 },
      headers: bearer(guest.token),
    });
    return { guest, headers: bearer(await customerToken(customer)) };
  };
  const merge = (target: string, body: object, headers: Record<string, string>) =>
    server.request('POST', `/api/v1/cart/${target}/merge`, { body, headers });

  it("when the source token is the guest's own, then the guest cart merges into the customer's", async () => {
    const { guest, headers } = await arrange('alice');
    const merged = await merge('alice', { source_customer_id: guest.customer_id, source_token: guest.token }, headers);
    expect(merged.status).toBe(200);
    expect(merged.body.cart).toMatchObject({ customer_id: 'alice', total_items: 2 });
  });

  it("when the source is another customer's cart proven by their token, then it merges", async () => {
    const { headers } = await arrange('bea');
    const carolToken = await customerToken('carol');
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'carol', product_id: 'q', product_name: 'Q', price: 1, quantity: 1 },
      headers: bearer(carolToken),
    });
    const merged = await merge('bea', { source_customer_id: 'carol', source_token: carolToken }, headers);
    expect(merged.status).toBe(200);
    expect(merged.body.cart.total_items).toBe(1);
  });

  it.each([
    ['no source token', () => undefined],
    ['a forged guest token', () => customerToken('guest_x', 'not-the-secret')],
    ['a token that is not a JWT', () => 'not.a.token'],
    ["another guest's token", async () => (await server.request('POST', '/api/v1/guest-sessions')).body.token],
    ['a customer token naming the guest id', (guestId: string) => customerToken(guestId)],
  ])('when the merge comes with %s, then 403 and neither cart changes', async (_, tokenFor) => {
    const { guest, headers } = await arrange('dave');
    const token = await tokenFor(guest.customer_id);
    const refused = await merge('dave', { source_customer_id: guest.customer_id, source_token: token }, headers);

    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const guestCart = await server.request('GET', `/api/v1/cart/${guest.customer_id}`, {
      headers: bearer(guest.token),
    });
    expect(guestCart.body).toMatchObject({ version: 1, total_items: 2 });
  });

  it('when the caller acts for another target, then 403 and nothing moves', async () => {
    const { guest, headers } = await arrange('erin');
    const refused = await merge('frank', { source_customer_id: guest.customer_id, source_token: guest.token }, headers);
    expect(refused.status).toBe(403);
  });

  it('when a guest who placed orders signs in and merges, then the orders move to the customer, each with order.reassigned', async () => {
    const { guest, headers } = await arrange('gina');
    const address = { street: '1 Main St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: guest.customer_id, payment_method: 'paypal', shipping_address: address },
      headers: bearer(guest.token),
    });
    expect(placed.status).toBe(201);
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: guest.customer_id, product_id: 'later', product_name: 'Later', price: 1, quantity: 1 },
      headers: bearer(guest.token),
    });
    const orderId = placed.body.order_id;

    const merged = await merge('gina', { source_customer_id: guest.customer_id, source_token: guest.token }, headers);

    expect(merged.status).toBe(200);
    const listed = await server.request('GET', '/api/v1/customers/gina/orders', { headers });
    expect(listed.body.orders.map((order: { order_id: string }) => order.order_id)).toEqual([orderId]);
    const order = await server.request('GET', `/api/v1/orders/${orderId}`, { headers });
    expect(order.body).toMatchObject({ customer_id: 'gina', version: 2, status: 'pending' });
    const guestOrders = await server.request('GET', `/api/v1/customers/${guest.customer_id}/orders`, {
      headers: bearer(guest.token),
    });
    expect(guestOrders.body.orders).toEqual([]);
    const events = await queryDatabase<{ type: string; sequence: number; envelope: { data: object } }>(
      server.database.url,
      `select type, sequence, envelope from outbox_events where aggregate_type = 'order' and aggregate_id = $1 order by position`,
      [orderId],
    );
    expect(events.map(({ type, sequence }) => [type, sequence])).toEqual([
      ['order.placed', 1],
      ['order.reassigned', 2],
    ]);
    expect(events[1].envelope.data).toEqual({ order: order.body, previous_customer_id: guest.customer_id });

    const again = await merge('gina', { source_customer_id: guest.customer_id, source_token: guest.token }, headers);
    expect(again.status).toBe(200);
    expect((await server.request('GET', `/api/v1/orders/${orderId}`, { headers })).body.version).toBe(2);
  });
});

describe('merging carts in catalog mode', () => {
  let catalog: RunningCatalogServer;
  let server: TestServer;
  const mug = { product_id: 'mug', name: 'Mug', price: '7.50', currency: 'USD', active: true };
  const pens = Array.from({ length: 20 }, (_, index) => ({
    product_id: `pen-${index}`,
    name: `Pen ${index}`,
    price: 1 + index,
    currency: 'USD',
    active: true,
  }));

  let api: CatalogApi;

  beforeAll(async () => {
    api = await startCatalogApi([mug, ...pens]);
    ({ catalog, server } = api);
  });
  afterAll(() => api.close());
  beforeEach(() => api.reset());

  const add = (customerId: string, productId: string, quantity = 1) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: productId, quantity },
    });
  const cartOf = async (customerId: string) => (await server.request('GET', `/api/v1/cart/${customerId}`)).body;

  it('when a source of 20 lines is merged, then the catalog is asked once, for all of them', async () => {
    for (const pen of pens) expect((await add('guest_batch', pen.product_id)).status).toBe(200);
    const asked = catalog.lookups.length;

    const merged = await server.request('POST', '/api/v1/cart/batch-shopper/merge', {
      body: { source_customer_id: 'guest_batch' },
    });

    expect(merged.status).toBe(200);
    expect(merged.body.cart.items).toHaveLength(20);
    expect(catalog.lookups.slice(asked)).toEqual([pens.map((pen) => pen.product_id)]);
  });

  it('when the source holds products no longer sold, then they stay in it with a warning and the rest merges', async () => {
    await add('guest_retired', 'pen-1', 2);
    await add('guest_retired', 'mug', 3);
    await add('guest_retired', 'pen-2', 4);
    catalog.setProduct({ ...pens[1], active: false });
    catalog.removeProduct('pen-2');

    const merged = await server.request('POST', '/api/v1/cart/retired-shopper/merge', {
      body: { source_customer_id: 'guest_retired' },
    });

    expect(merged.status).toBe(200);
    expect(lines(merged.body.cart)).toEqual([['mug', 3]]);
    expect(merged.body.warnings).toEqual([
      { code: 'PRODUCT_UNAVAILABLE', product_id: 'pen-1' },
      { code: 'PRODUCT_UNAVAILABLE', product_id: 'pen-2' },
    ]);
    expect(lines(await cartOf('guest_retired'))).toEqual([
      ['pen-1', 2],
      ['pen-2', 4],
    ]);
  });

  it("when the catalog's price moved since the guest added a line, then the merged line has the catalog's price", async () => {
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'guest_catalog', product_id: 'mug', quantity: 2 },
    });
    catalog.setProduct({ ...mug, name: 'Big Mug', price: '8.25' });
    const merged = await server.request('POST', '/api/v1/cart/shopper/merge', {
      body: { source_customer_id: 'guest_catalog' },
    });

    expect(merged.status).toBe(200);
    expect(merged.body.cart.items).toEqual([
      { product_id: 'mug', product_name: 'Big Mug', price: 8.25, quantity: 2, subtotal: 16.5, discount: 0 },
    ]);
  });
});
