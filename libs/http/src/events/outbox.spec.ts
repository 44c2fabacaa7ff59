import { queryDatabase } from '@carthub/persistence/testing';
import { EventType } from '@carthub/domain';
import { startTestServer, TestServer } from '../../test/test-server';
import { envelopeSchema } from './definitions';

interface OutboxRow {
  type: EventType;
  aggregate_type: string;
  aggregate_id: string;
  sequence: number;
  envelope: { id: string; sequence: number; data: Record<string, unknown> };
}

describe('the transactional outbox, through the API', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const eventsOf = (aggregateId: string) =>
    queryDatabase<OutboxRow>(
      server.database.url,
      `select type, aggregate_type, aggregate_id, sequence, envelope from outbox_events
        where aggregate_id = $1 order by position`,
      [aggregateId],
    );
  const add = (customerId: string, productId: string, quantity = 1) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: productId, product_name: productId, price: 2.5, quantity },
    });

  it('when a cart changes, then each change writes one event whose sequence is the cart version after it', async () => {
    await add('ev-cart', 'a');
    await add('ev-cart', 'a', 2);
    await add('ev-cart', 'b');
    await server.request('PUT', '/api/v1/cart/ev-cart/items/a', { body: { quantity: 5 } });
    await server.request('PUT', '/api/v1/cart/ev-cart/items/b', { body: { quantity: 0 } });
    const final = await server.request('DELETE', '/api/v1/cart/ev-cart');

    const events = await eventsOf('ev-cart');

    expect(events.map((e) => [e.type, e.sequence])).toEqual([
      ['cart.item_added', 1],
      ['cart.item_added', 2],
      ['cart.item_added', 3],
      ['cart.item_updated', 4],
      ['cart.item_removed', 5],
      ['cart.cleared', 6],
    ]);
    expect(final.body.cart.version).toBe(6);
    expect(events[1].envelope.data).toEqual({
      product_id: 'a',
      line: { product_id: 'a', product_name: 'a', price: 2.5, quantity: 3, subtotal: 7.5 },
    });
    for (const event of events) expect(envelopeSchema(event.type).validate(event.envelope).error).toBeUndefined();
  });

  it('when nothing changes (clearing an empty cart, a refused change), then no event is written and no version moves', async () => {
    await server.request('DELETE', '/api/v1/cart/ev-none');
    await add('ev-none', 'a');
    await server.request('PUT', '/api/v1/cart/ev-none/items/ghost', { body: { quantity: 2 } });
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'ev-none', product_id: 'a', product_name: 'a', price: 2.5, quantity: 500 },
    });
    expect((await eventsOf('ev-none')).map((e) => e.sequence)).toEqual([1]);
  });

  it('when a cart is checked out, then order.placed (sequence 1, the whole order) and cart.cleared (checkout) in the same commit', async () => {
    await add('ev-buyer', 'a', 2);
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      body: {
        customer_id: 'ev-buyer',
        payment_method: 'paypal',
        shipping_address: { street: 's', city: 'c', state: 'WA', zip: 'z' },
      },
    });

    const [order] = await eventsOf(placed.body.order_id);
    const cart = await eventsOf('ev-buyer');

    expect([order.type, order.aggregate_type, order.sequence]).toEqual(['order.placed', 'order', 1]);
    expect(order.envelope.data).toEqual({ order: placed.body.order });
    expect(cart.map((e) => [e.type, e.sequence, e.envelope.data['reason']])).toEqual([
      ['cart.item_added', 1, undefined],
      ['cart.cleared', 2, 'checkout'],
    ]);
  });

  it('when many writers race on one cart, then its sequences are exactly 1..n with no gap and no repeat', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => add('ev-race', `p-${i % 5}`)));
    const sequences = (await eventsOf('ev-race')).map((e) => e.sequence);
    expect(sequences).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });
});
