import { decodeJwt, SignJWT } from 'jose';
import { startTestServer, TestServer } from '../../test/test-server';

const IDP_SECRET = 'the-identity-providers-secret-for-hs256';
const GUEST_SECRET = 'the-services-own-secret-for-guest-tokens';
const item = { product_id: 'p', product_name: 'P', price: 2.5, quantity: 2 };
const address = { street: 's', city: 'c', state: 'WA', zip: 'z' };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const sign = (claims: object, subject: string, secret: string, issuer?: string) => {
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuedAt();
  return (issuer ? jwt.setIssuer(issuer) : jwt).setExpirationTime('5m').sign(new TextEncoder().encode(secret));
};

describe('guest sessions with authentication off', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ settings: { guests: { tokenTtlSeconds: 600 } } });
  });
  afterAll(() => server.close());

  it('when a guest session is asked for, then 201 with an unguessable id and a token for it that expires with the session', async () => {
    const response = await server.request('POST', '/api/v1/guest-sessions');

    expect(response.status).toBe(201);
    expect(response.body.customer_id).toMatch(/^guest_[a-z2-7]{26}$/);
    const claims = decodeJwt(response.body.token);
    expect(claims).toMatchObject({ sub: response.body.customer_id, guest: true });
    expect(new Date(response.body.expires_at).getTime()).toBe(claims.exp! * 1000);
    expect(claims.exp! - claims.iat!).toBe(600);
  });

  it('when many sessions are asked for, then every id is new', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add((await server.request('POST', '/api/v1/guest-sessions')).body.customer_id);
    expect(ids.size).toBe(50);
  });

  it('when a guest shops with their id, then it is a cart like any other', async () => {
    const { customer_id } = (await server.request('POST', '/api/v1/guest-sessions')).body;
    await server.request('POST', '/api/v1/cart/items', { body: { customer_id, ...item } });
    expect((await server.request('GET', `/api/v1/cart/${customer_id}`)).body).toMatchObject({ total_items: 2 });
  });
});

describe('guest sessions with authentication on', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      settings: {
        auth: { jwtSecret: IDP_SECRET },
        guests: { tokenSecret: GUEST_SECRET },
        rateLimit: { max: 0, windowMs: 60_000 },
      },
    });
  });
  afterAll(() => server.close());

  const newGuest = async () => (await server.request('POST', '/api/v1/guest-sessions')).body;

  it('when a guest uses their own token, then their cart, checkout and orders are theirs', async () => {
    const guest = await newGuest();
    const headers = bearer(guest.token);
    const added = await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: guest.customer_id, ...item },
      headers,
    });
    expect(added.status).toBe(200);
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: guest.customer_id, payment_method: 'paypal', shipping_address: address },
      headers,
    });
    expect(placed.status).toBe(201);
    expect((await server.request('GET', `/api/v1/orders/${placed.body.order_id}`, { headers })).status).toBe(200);
    const orders = await server.request('GET', `/api/v1/customers/${guest.customer_id}/orders`, { headers });
    expect(orders.body.orders).toHaveLength(1);
  });

  it("when a guest token is used for another guest's or a customer's cart, then 403", async () => {
    const [guest, other] = [await newGuest(), await newGuest()];
    for (const target of [other.customer_id, 'alice']) {
      const response = await server.request('GET', `/api/v1/cart/${target}`, { headers: bearer(guest.token) });
      expect([target, response.status]).toEqual([target, 403]);
    }
  });

  it("when a customer token names a guest id, then it never acts for that guest, even with the guest's id as subject", async () => {
    const guest = await newGuest();
    const impostor = await sign({}, guest.customer_id, IDP_SECRET);
    const guestClaimFromIdp = await sign({ guest: true }, guest.customer_id, IDP_SECRET, 'carthub-guest');
    expect(
      (await server.request('GET', `/api/v1/cart/${guest.customer_id}`, { headers: bearer(impostor) })).status,
    ).toBe(403);
    expect(
      (await server.request('GET', `/api/v1/cart/${guest.customer_id}`, { headers: bearer(guestClaimFromIdp) })).status,
    ).toBe(401);
  });

  it('when a guest token is forged with another key, then 401', async () => {
    const forged = await sign({ guest: true }, 'guest_aaaaaaaaaaaaaaaaaaaaaaaaaa', 'x'.repeat(40), 'carthub-guest');
    const response = await server.request('GET', '/api/v1/cart/guest_aaaaaaaaaaaaaaaaaaaaaaaaaa', {
      headers: bearer(forged),
    });
    expect([response.status, response.body.code]).toEqual([401, 'UNAUTHORIZED']);
  });
});

describe('guest sessions under the rate limit', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ settings: { rateLimit: { max: 2, windowMs: 60_000 } } });
  });
  afterAll(() => server.close());

  it('when a client asks for sessions past its limit, then 429 like any other request', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await server.request('POST', '/api/v1/guest-sessions')).status);
    expect(statuses).toEqual([201, 201, 429]);
  });
});
