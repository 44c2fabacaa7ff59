import fc from 'fast-check';
import { cleanupUnpaidOrders } from '@carthub/persistence';
import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';
import { serializeEvent } from '../events/serialize';

const address = { street: '1 Loop', city: 'Austin', state: 'TX', zip: '78701' };
const PRODUCTS = ['inv-a', 'inv-b', 'inv-c'];

type Command =
  | { kind: 'adjust'; product: number; delta: number }
  | { kind: 'set'; product: number; onHand: number }
  | { kind: 'checkout'; lines: [number, number][] }
  | { kind: 'cancel' | 'fulfil' | 'refund'; order: number }
  | { kind: 'expire' };

const product = fc.integer({ min: 0, max: PRODUCTS.length - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('adjust' as const), product, delta: fc.integer({ min: -4, max: 6 }).filter(Boolean) }),
  fc.record({ kind: fc.constant('set' as const), product, onHand: fc.integer({ min: 0, max: 8 }) }),
  fc.record({
    kind: fc.constant('checkout' as const),
    lines: fc.uniqueArray(fc.tuple(product, fc.integer({ min: 1, max: 3 })), {
      minLength: 1,
      maxLength: 3,
      selector: ([p]) => p,
    }),
  }),
  fc.record({ kind: fc.constantFrom('cancel' as const, 'fulfil' as const, 'refund' as const), order: fc.nat() }),
  fc.constant({ kind: 'expire' as const }),
);

/**
 * Random interleavings of every operation that moves stock, run concurrently in rounds against the
 * real server and database; after each round the invariant is recomputed from the rows themselves.
 */
describe('the stock invariant under random interleavings', () => {
  let server: TestServer;
  let customers = 0;

  beforeAll(async () => {
    server = await startTestServer({ stockTracking: true });
  });
  afterAll(() => server.close());

  const post = (path: string, body?: object) => server.request('POST', path, { body });

  async function run(step: Command, orders: { id: string; total: number }[]): Promise<number> {
    switch (step.kind) {
      case 'adjust':
        return (await post(`/api/v1/stock/${PRODUCTS[step.product]}/adjustments`, { delta: step.delta })).status;
      case 'set':
        return (
          await server.request('PUT', `/api/v1/stock/${PRODUCTS[step.product]}`, { body: { on_hand: step.onHand } })
        ).status;
      case 'checkout': {
        const customer = `inv-${process.pid}-${++customers}`;
        for (const [p, quantity] of step.lines) {
          const body = { customer_id: customer, product_id: PRODUCTS[p], product_name: 'P', price: 3, quantity };
          await post('/api/v1/cart/items', body);
        }
        const placed = await post('/api/v1/cart/checkout', {
          customer_id: customer,
          payment_method: 'paypal',
          shipping_address: address,
        });
        if (placed.status === 201) orders.push({ id: placed.body.order_id, total: placed.body.total_amount });
        return placed.status;
      }
      case 'expire': {
        await queryDatabase(server.database.url, `update orders set created_at = created_at - interval '2 hours'`);
        await cleanupUnpaidOrders({ url: server.database.url }, serializeEvent, { paymentTtlSeconds: 3600 });
        return 200;
      }
      default: {
        if (orders.length === 0) return 200;
        const { id, total } = orders[step.order % orders.length];
        if (step.kind === 'cancel') return (await post(`/api/v1/orders/${id}/cancel`, {})).status;
        // Paid first where it can be (a second payment_id is refused: the order is paid already).
        await post(`/api/v1/orders/${id}/payments`, { payment_id: `pay-${id}`, amount: total });
        const endpoint = step.kind === 'fulfil' ? 'fulfilment' : 'refund';
        return (await post(`/api/v1/orders/${id}/${endpoint}`, {})).status;
      }
    }
  }

  async function brokenRows(): Promise<unknown[]> {
    return queryDatabase(
      server.database.url,
      `select s.product_id, s.on_hand, s.reserved from stock s
        where not (0 <= s.reserved and s.reserved <= s.on_hand)
           or s.reserved <> coalesce((select sum(r.quantity) from stock_reservations r
                                       where r.product_id = s.product_id and r.state = 'reserved'), 0)
           or exists (select 1 from stock_reservations r join orders o on o.id = r.order_id
                       where r.product_id = s.product_id
                         and r.state <> case when o.status in ('pending', 'paid') then 'reserved'
                                             when o.status in ('fulfilled', 'delivered') then 'consumed'
                                             else 'released' end)`,
    );
  }

  it('when adjust, set, checkout, cancel, fulfil, refund and expire interleave, then 0 <= reserved <= on_hand and reserved is the sum of open reservations, always; no 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(command, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        async (rounds) => {
          const orders: { id: string; total: number }[] = [];
          for (const round of rounds) {
            const statuses = await Promise.all(round.map((step) => run(step, orders)));
            expect(statuses.filter((status) => status >= 500)).toEqual([]);
            expect(await brokenRows()).toEqual([]);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
