import { migrateDatabase } from '@carthub/persistence';
import { queryDatabase, startStreamingReplication, StreamingReplication } from '@carthub/persistence/testing';
import { loadConfig } from './config';
import { RunningServer, startServer } from './server';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const address = { street: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701', country: 'US' };

interface Answer {
  readonly status: number;
  readonly body: any;
}

/**
 * The API over real HTTP with DATABASE_URL on a primary and
 * DB_READ_REPLICA_URLS on a hot standby streaming from it: carts on the
 * primary, order reads on the standby whenever it has every write made
 * before them, and on the primary otherwise.
 */
describe('read replicas, over HTTP', () => {
  let pair: StreamingReplication;
  let server: RunningServer;

  beforeAll(async () => {
    pair = await startStreamingReplication({
      settings: {
        // pg_stat_statements shows which server ran which statement, each counting its own.
        shared_preload_libraries: "'pg_stat_statements'",
        // Vacuum writes WAL of its own, which a replica must replay too before it may answer: the exact
        // counts of the quiet test below would depend on when autovacuum ran.
        autovacuum: 'off',
      },
    });
    await migrateDatabase({ url: pair.primaryUrl });
    await queryDatabase(pair.primaryUrl, 'create extension pg_stat_statements');
    server = await startServer(
      loadConfig({
        DATABASE_URL: pair.primaryUrl,
        DB_READ_REPLICA_URLS: pair.replicaUrl,
        DB_REPLICA_CHECK_INTERVAL_MS: '200',
        // A standby on this busy machine may be scheduled late: let a read wait for it rather than count
        // it as lagging, so the quiet test below can count exactly which server ran each read.
        DB_REPLICA_MAX_WAIT_MS: '1000',
        DB_POOL_MAX: '8',
        CHECKOUT_MAX_PER_MINUTE: '10000',
        // Every order here comes from one address.
        CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE: '0',
        PORT: '0',
        METRICS_PORT: '0',
        HOST: '127.0.0.1',
      }),
      silent,
    );
    await until(async () => (await metric('carthub_db_replica_up{replica="1"}')) === 1, 'the replica up');
  }, 120_000);

  afterAll(async () => {
    await server?.shutdown();
    await pair?.stop();
  });

  async function call(method: string, path: string, body?: object): Promise<Answer> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body && JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async function metric(series: string): Promise<number> {
    const text = await (await fetch(`${server.metricsUrl}/metrics`)).text();
    const line = text.split('\n').find((each) => each.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  }

  /** Add to cart → read the cart → check out → read the order → (pay → read it again) → list: what the caller sees. */
  async function shop(customer: string, n: number): Promise<string[]> {
    const problems: string[] = [];
    const seen = (what: string, ok: boolean, answer: Answer) => {
      if (!ok) problems.push(`${customer}#${n} ${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    };
    const item = { customer_id: customer, product_id: `p-${n}`, product_name: 'Pen', price: 2.5, quantity: 1 };
    const added = await call('POST', '/api/v1/cart/items', item);
    seen('add', added.status === 200, added);
    const cart = await call('GET', `/api/v1/cart/${customer}`);
    seen('stale cart', cart.status === 200 && cart.body.version === added.body.cart?.version, cart);
    const placed = await call('POST', '/api/v1/cart/checkout', {
      customer_id: customer,
      payment_method: 'paypal',
      shipping_address: address,
    });
    seen('checkout', placed.status === 201, placed);
    const orderId = placed.body.order_id;
    const order = await call('GET', `/api/v1/orders/${orderId}`);
    seen('missing order', order.status === 200 && order.body.order_id === orderId, order);
    // Every other cycle also pays: a read after a transition must not show the order as it was before.
    const pays = n % 2 === 0;
    if (pays) {
      const paid = await call('POST', `/api/v1/orders/${orderId}/payments`, {
        payment_id: `pay-${customer}-${n}`,
        amount: placed.body.total_amount,
      });
      seen('payment', paid.status === 200, paid);
      const again = await call('GET', `/api/v1/orders/${orderId}`);
      seen('stale order', again.status === 200 && again.body.status === 'paid' && again.body.version === 2, again);
    }
    const list = await call('GET', `/api/v1/customers/${customer}/orders?limit=1`);
    const [newest] = list.body.orders ?? [];
    seen('missing from list', newest?.order_id === orderId && newest?.status === (pays ? 'paid' : 'pending'), list);
    return problems;
  }

  /** `total` shopping cycles by `workers` shoppers at once; `during` runs once `halfway` cycles are done. */
  async function shopAll(total: number, workers: number, prefix: string, halfway?: () => Promise<void>) {
    const problems: string[] = [];
    let started = 0;
    let done = 0;
    let midway: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        while (started < total) {
          const n = started++;
          problems.push(...(await shop(`${prefix}-${worker}`, n)));
          if (++done === Math.floor(total / 2) && halfway) midway = halfway();
        }
      }),
    );
    await midway;
    return { problems, done };
  }

  it('when 1,000 write-then-read cycles run 8 at a time, then no read ever misses or predates the caller’s own write', async () => {
    const replicaBefore = await metric('carthub_db_replica_reads_total{outcome="replica"}');
    const { problems, done } = await shopAll(1_000, 8, 'busy');
    expect(problems).toEqual([]);
    expect(done).toBe(1_000);
    // Each cycle reads orders two or three times; the replica answers those it has caught up for.
    expect(await metric('carthub_db_replica_reads_total{outcome="replica"}')).toBeGreaterThan(replicaBefore);
  }, 120_000);

  it('when the replica has caught up, then it serves the order reads: the standby runs them, the primary does not', async () => {
    expect(await shop('quiet', 0)).toEqual([]);
    const { body } = await call('GET', '/api/v1/customers/quiet/orders?limit=1');
    const orderId = body.orders[0].order_id;
    await pair.waitForReplay();
    const readsOfOrders = async (url: string) => {
      const [row] = await queryDatabase<{ calls: string }>(
        url,
        `select coalesce(sum(calls), 0) as calls from pg_stat_statements where query like '%from "orders"%'`,
      );
      return Number(row.calls);
    };
    const before = { primary: await readsOfOrders(pair.primaryUrl), standby: await readsOfOrders(pair.replicaUrl) };
    const servedBefore = await metric('carthub_db_replica_reads_total{outcome="replica"}');
    for (let i = 0; i < 20; i++) {
      expect((await call('GET', `/api/v1/orders/${orderId}`)).status).toBe(200);
      expect((await call('GET', '/api/v1/customers/quiet/orders?limit=5')).status).toBe(200);
    }
    expect(await metric('carthub_db_replica_reads_total{outcome="replica"}')).toBe(servedBefore + 40);
    expect(await readsOfOrders(pair.replicaUrl)).toBeGreaterThanOrEqual(before.standby + 40);
    expect(await readsOfOrders(pair.primaryUrl)).toBe(before.primary);
  });

  it('when the replica is stopped mid-run, then every request still answers, reads move to the primary, errors are counted', async () => {
    const errorsBefore = await metric('carthub_db_replica_errors_total{replica="1"}');
    const { problems, done } = await shopAll(120, 8, 'outage', () => pair.stopReplica());
    expect(problems).toEqual([]);
    expect(done).toBe(120);
    await until(async () => (await metric('carthub_db_replica_up{replica="1"}')) === 0, 'the replica marked down');
    expect(await metric('carthub_db_replica_errors_total{replica="1"}')).toBeGreaterThan(errorsBefore);
    expect(await metric('carthub_db_replica_reads_total{outcome="fallback_down"}')).toBeGreaterThan(0);
    // Readiness follows the primary alone.
    const ready = await call('GET', '/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'healthy', database: 'connected' } });
  }, 120_000);
});

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}
