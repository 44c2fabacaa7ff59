import { createTestDatabase, queryDatabase, TestDatabase } from '@carthub/persistence/testing';
import { RunningServer } from './server';
import { startLocalServer } from '../test/local-server';

const address = { street: '1 Main St', city: 'Seattle', state: 'WA', zip: '98101' };

interface Guest {
  readonly customer_id: string;
  readonly token: string;
}

/**
 * Guest ids cost nothing to mint, so a quota per customer alone binds no one who mints them: what one
 * client address may do is bounded too (the address as TRUST_PROXY reads it, here from X-Forwarded-For).
 */
describe('quotas per client address, with authentication on', () => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startLocalServer(database.url, {
      AUTH_JWT_SECRET: 'the-identity-providers-secret-for-hs256',
      GUEST_TOKEN_SECRET: 'the-services-own-secret-for-guest-tokens',
      TRUST_PROXY: 'true',
      GUEST_SESSIONS_MAX_PER_ADDRESS_PER_HOUR: '3',
      CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE: '2',
    });
  });
  afterAll(async () => {
    await server.shutdown();
    await database.drop();
  });

  const from = (client: string, headers: Record<string, string> = {}) => ({
    'X-Forwarded-For': client,
    'content-type': 'application/json',
    ...headers,
  });
  const newGuest = (client: string) =>
    fetch(`${server.url}/api/v1/guest-sessions`, { method: 'POST', headers: from(client) });

  /** A guest (minted from an address of its own) with one line in its cart. */
  async function guestWithCart(mintedFrom: string): Promise<Guest> {
    const guest = (await (await newGuest(mintedFrom)).json()) as Guest;
    const added = await fetch(`${server.url}/api/v1/cart/items`, {
      method: 'POST',
      headers: from(mintedFrom, { Authorization: `Bearer ${guest.token}` }),
      body: JSON.stringify({
        customer_id: guest.customer_id,
        product_id: 'p',
        product_name: 'P',
        price: 1,
        quantity: 1,
      }),
    });
    expect(added.status).toBe(200);
    return guest;
  }

  const checkout = (client: string, guest: Guest, key?: string) =>
    fetch(`${server.url}/api/v1/cart/checkout`, {
      method: 'POST',
      headers: from(client, { Authorization: `Bearer ${guest.token}`, ...(key ? { 'Idempotency-Key': key } : {}) }),
      body: JSON.stringify({ customer_id: guest.customer_id, payment_method: 'paypal', shipping_address: address }),
    });

  async function expectRateLimited(response: Response, maxRetryAfter: number) {
    expect(response.status).toBe(429);
    const body = (await response.json()) as { request_id: string };
    expect(body).toMatchObject({ success: false, code: 'RATE_LIMITED', error: expect.any(String) });
    expect(body.request_id).toBe(response.headers.get('x-request-id'));
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
  }

  it('when one address asks for more guest sessions in an hour than GUEST_SESSIONS_MAX_PER_ADDRESS_PER_HOUR, then 429 RATE_LIMITED with Retry-After, and other addresses still get theirs', async () => {
    for (let i = 0; i < 3; i++) expect((await newGuest('203.0.113.10')).status).toBe(201);

    await expectRateLimited(await newGuest('203.0.113.10'), 3600);
    // Entries the client writes itself, left of the one the proxy appended, change nothing.
    await expectRateLimited(await newGuest('198.51.100.7, 203.0.113.10'), 3600);
    expect((await newGuest('203.0.113.11')).status).toBe(201);
  });

  it('when one address places more orders in a minute than CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE, whoever the customers, then 429 RATE_LIMITED with Retry-After and the cart is kept', async () => {
    const guests = [
      await guestWithCart('192.0.2.1'),
      await guestWithCart('192.0.2.2'),
      await guestWithCart('192.0.2.3'),
    ];
    expect((await checkout('203.0.113.20', guests[0]!)).status).toBe(201);
    expect((await checkout('203.0.113.20', guests[1]!)).status).toBe(201);

    await expectRateLimited(await checkout('203.0.113.20', guests[2]!), 60);
    const orders = await queryDatabase<{ n: number }>(
      database.url,
      'select count(*)::int as n from orders where customer_id = $1',
      [guests[2]!.customer_id],
    );
    expect(orders[0]!.n).toBe(0);
    expect((await checkout('203.0.113.21', guests[2]!)).status).toBe(201);
  });

  it('when checkouts from one address place no new order (refused, or a replay), then they leave its order quota alone', async () => {
    const empty = (await (await newGuest('192.0.2.4')).json()) as Guest;
    for (let i = 0; i < 3; i++) expect((await checkout('203.0.113.30', empty)).status).toBe(409);
    const [first, second, third] = [
      await guestWithCart('192.0.2.5'),
      await guestWithCart('192.0.2.6'),
      await guestWithCart('192.0.2.7'),
    ];
    expect((await checkout('203.0.113.30', first!, 'key-1')).status).toBe(201);
    const replayed = await checkout('203.0.113.30', first!, 'key-1');
    expect([replayed.status, replayed.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect((await checkout('203.0.113.30', second!)).status).toBe(201);

    await expectRateLimited(await checkout('203.0.113.30', third!), 60);
  });
});
