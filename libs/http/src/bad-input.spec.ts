import { startTestServer, TestServer } from '../test/test-server';

describe('bad input', () => {
  let server: TestServer;
  const valid = { customer_id: 'c-1', product_id: 'p-1', product_name: 'Pen', price: 1.5, quantity: 1 };

  beforeAll(async () => {
    server = await startTestServer({ settings: { bodyLimitBytes: 1024 } });
  });
  afterAll(() => server.close());

  async function expectNothingStored(customer = 'c-1') {
    const cart = await server.request('GET', `/api/v1/cart/${customer}`);
    expect(cart.body).toMatchObject({ items: [], version: 0 });
  }

  function expectError(
    response: { status: number; body: any; text: string; headers: Headers },
    status: number,
    code: string,
  ) {
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ success: false, code, error: expect.any(String) });
    expect(response.body.request_id).toBe(response.headers.get('x-request-id'));
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+|select |insert |stack/i);
  }

  it.each([
    ['a missing field', { ...valid, product_name: undefined }, 'product_name'],
    ['an unknown field', { ...valid, coupon: 'FREE' }, 'coupon'],
    ['a zero price', { ...valid, price: 0 }, 'price'],
    ['a negative price', { ...valid, price: -5 }, 'price'],
    ['three decimals', { ...valid, price: 19.999 }, 'price'],
    ['three decimals as text', { ...valid, price: '19.999' }, 'price'],
    ['a price over the maximum', { ...valid, price: 100000000 }, 'price'],
    ['a price that is not numeric', { ...valid, price: '12abc' }, 'price'],
    ['a boolean price', { ...valid, price: true }, 'price'],
    ['a fractional quantity', { ...valid, quantity: 1.5 }, 'quantity'],
    ['a zero quantity', { ...valid, quantity: 0 }, 'quantity'],
    ['a quantity as text', { ...valid, quantity: '2' }, 'quantity'],
    ['an array as a name', { ...valid, product_name: ['x'] }, 'product_name'],
    ['an object as an id', { ...valid, product_id: { $ne: null } }, 'product_id'],
    ['a number as an id', { ...valid, customer_id: 12 }, 'customer_id'],
    ['a blank id', { ...valid, customer_id: '   ' }, 'customer_id'],
    ['an id of 256 characters', { ...valid, customer_id: 'x'.repeat(256) }, 'customer_id'],
    ['a control character', { ...valid, product_name: 'Pen\u0000' }, 'product_name'],
  ])('when an add has %s, then 422 VALIDATION_FAILED names the field and nothing is stored', async (_, body, field) => {
    const response = await server.request('POST', '/api/v1/cart/items', { body });
    expectError(response, 422, 'VALIDATION_FAILED');
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    await expectNothingStored();
  });

  it('when the error message is read, then it speaks plainly', async () => {
    const response = await server.request('POST', '/api/v1/cart/items', { body: { ...valid, price: 0 } });
    expect(response.body.details).toEqual([{ field: 'price', message: 'price must be greater than 0' }]);
  });

  it.each([
    ['a JSON string', '"hello"'],
    ['a JSON array', '[1,2]'],
    ['null', 'null'],
  ])('when the body is %s, then 422', async (_, rawBody) => {
    const response = await server.request('POST', '/api/v1/cart/items', {
      rawBody,
      headers: { 'content-type': 'application/json' },
    });
    expectError(response, 422, 'VALIDATION_FAILED');
  });

  it('when the body is not parseable JSON, then 400 INVALID_JSON', async () => {
    const response = await server.request('POST', '/api/v1/cart/items', {
      rawBody: '{"customer_id": "c-1",',
      headers: { 'content-type': 'application/json' },
    });
    expectError(response, 400, 'INVALID_JSON');
  });

  it('when the body is not JSON, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const response = await server.request('POST', '/api/v1/cart/items', {
        rawBody: 'customer_id=c-1',
        headers: { 'content-type': type },
      });
      expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    await expectNothingStored();
  });

  it('when the body is over the limit, then 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await server.request('POST', '/api/v1/cart/items', {
      body: { ...valid, product_name: 'x'.repeat(2000) },
    });
    expectError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('when an update has a negative or missing quantity, then 422', async () => {
    for (const body of [{ quantity: -1 }, {}, { quantity: 2, extra: 1 }]) {
      const response = await server.request('PUT', '/api/v1/cart/c-1/items/p-1', { body });
      expectError(response, 422, 'VALIDATION_FAILED');
    }
  });

  it('when a path parameter is blank or too long, then 422', async () => {
    expectError(await server.request('GET', '/api/v1/cart/%20%20'), 422, 'VALIDATION_FAILED');
    expectError(await server.request('GET', `/api/v1/cart/${'x'.repeat(300)}`), 422, 'VALIDATION_FAILED');
    expectError(await server.request('DELETE', '/api/v1/cart/c-1/items/%0A'), 422, 'VALIDATION_FAILED');
  });

  it('when a route does not exist, then 404 NOT_FOUND', async () => {
    expectError(await server.request('GET', '/api/v1/nothing-here'), 404, 'NOT_FOUND');
    expectError(await server.request('GET', '/api/v1/cart'), 404, 'NOT_FOUND');
  });

  it('when the method is wrong for a known path, then 405 METHOD_NOT_ALLOWED with Allow', async () => {
    const response = await server.request('PATCH', '/api/v1/cart/c-1');
    expectError(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toMatch(/GET.*DELETE|DELETE.*GET/);
    expectError(await server.request('PUT', '/api/v1/cart/items'), 405, 'METHOD_NOT_ALLOWED');
  });

  it('when nothing went wrong on our side, then no request above was logged as an error', () => {
    expect(server.logs.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});
