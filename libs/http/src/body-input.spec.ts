import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { startTestServer, TestResponse, TestServer } from '../test/test-server';

/** How request bytes become a body: encodings, charsets, media types, exact numbers and text, and "no body". */
describe('request bodies', () => {
  let server: TestServer;
  const limit = 2048;

  beforeAll(async () => {
    server = await startTestServer({ settings: { bodyLimitBytes: limit } });
  });
  afterAll(() => server.close());

  const item = (customer: string) => ({
    customer_id: customer,
    product_id: 'p-1',
    product_name: 'Pen',
    price: 1.5,
    quantity: 1,
  });
  const json = { 'content-type': 'application/json' };
  const add = (rawBody: string | Uint8Array, headers: Record<string, string> = json) =>
    server.request('POST', '/api/v1/cart/items', { rawBody, headers });

  async function expectNothingStored(customer: string) {
    const cart = await server.request('GET', `/api/v1/cart/${encodeURIComponent(customer)}`);
    expect(cart.body).toMatchObject({ items: [], version: 0 });
  }

  function expectError(response: TestResponse, status: number, code: string) {
    expect([response.status, response.body.code]).toEqual([status, code]);
    expect(response.body).toMatchObject({ success: false, error: expect.any(String) });
    expect(response.body.request_id).toBe(response.headers.get('x-request-id'));
  }

  describe('content encodings', () => {
    it('when a body is gzip- or deflate-compressed, then it is read like the plain one', async () => {
      const gzipped = await add(gzipSync(JSON.stringify(item('enc-gzip'))), { ...json, 'content-encoding': 'gzip' });
      expect(gzipped.status).toBe(200);
      const deflated = await add(deflateSync(JSON.stringify(item('enc-deflate'))), {
        ...json,
        'content-encoding': 'deflate',
      });
      expect(deflated.status).toBe(200);
      const identity = await add(JSON.stringify(item('enc-identity')), { ...json, 'content-encoding': 'identity' });
      expect(identity.status).toBe(200);
    });

    it.each([
      ['GZIP', gzipSync],
      ['Deflate', deflateSync],
      ['IDENTITY', (text: string) => text],
    ])(
      'when the Content-Encoding is written "%s" (codings are case-insensitive), then the body is read and stored',
      async (encoding, encode) => {
        const customer = `enc-case-${encoding.trim()}`;
        const response = await add(encode(JSON.stringify(item(customer))), { ...json, 'content-encoding': encoding });
        expect(response.status).toBe(200);
        expect(response.body.cart).toMatchObject({ customer_id: customer, total_items: 1 });
      },
    );

    it.each([
      ['br', (text: string) => brotliCompressSync(text)],
      ['compress', (text: string) => gzipSync(text)],
      ['gzip, gzip', (text: string) => gzipSync(gzipSync(text))],
      ['x-unknown', (text: string) => text],
    ])(
      'when the Content-Encoding is %s, then 415 UNSUPPORTED_MEDIA_TYPE and nothing is stored',
      async (encoding, encode) => {
        const customer = `enc-${encoding.replace(/\W/g, '')}`;
        const response = await add(encode(JSON.stringify(item(customer))), { ...json, 'content-encoding': encoding });
        expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(response.body.error).toMatch(/gzip/);
        await expectNothingStored(customer);
      },
    );

    it('when a gzip body is corrupt or cut short, then 400 INVALID_JSON and nothing is stored', async () => {
      const gzipped = gzipSync(JSON.stringify(item('enc-corrupt')));
      const corrupt = Buffer.from(gzipped);
      corrupt.fill(0x55, 10, 20);
      for (const rawBody of [corrupt, gzipped.subarray(0, gzipped.length - 12), Buffer.from('not gzip at all')]) {
        const response = await add(rawBody, { ...json, 'content-encoding': 'gzip' });
        expectError(response, 400, 'INVALID_JSON');
        expect(response.body.error).toMatch(/gzip|deflate|compressed/i);
      }
      await expectNothingStored('enc-corrupt');
    });

    it('when a small gzip body inflates past the limit (a gzip bomb), then 413 and nothing is stored', async () => {
      const bomb = gzipSync(JSON.stringify({ ...item('enc-bomb'), product_name: 'x'.repeat(1_000_000) }));
      expect(bomb.length).toBeLessThan(limit);
      const response = await add(bomb, { ...json, 'content-encoding': 'gzip' });
      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
      await expectNothingStored('enc-bomb');
    });
  });

  describe('lone UTF-16 surrogates', () => {
    it.each([
      ['customer_id', '"X\\ud800"'],
      ['product_id', '"p\\udfff"'],
      ['product_name', '"Pen \\ud83d"'],
    ])(
      'when %s holds a lone surrogate, then 422 VALIDATION_FAILED names it and nothing is stored',
      async (field, value) => {
        const body = { ...item('sur-add'), [field]: '§' };
        const response = await add(JSON.stringify(body).replace('"§"', value));
        expectError(response, 422, 'VALIDATION_FAILED');
        expect(response.body.details).toEqual([expect.objectContaining({ field })]);
        await expectNothingStored(field === 'customer_id' ? 'X\ufffd' : 'sur-add');
      },
    );

    it('when ids differ only in their lone surrogates, then neither is taken (they no longer share a cart)', async () => {
      for (const id of ['X\\ud800', 'X\\udfff']) {
        const response = await add(JSON.stringify(item('§')).replace('"§"', `"${id}"`));
        expectError(response, 422, 'VALIDATION_FAILED');
      }
      await expectNothingStored('X\ufffd');
    });

    it('when a paired surrogate (an emoji) is sent as escapes, then it is kept', async () => {
      const response = await add(
        JSON.stringify({ ...item('sur-emoji'), product_name: '§' }).replace('§', '\\ud83d\\udd8a'),
      );
      expect(response.status).toBe(200);
      expect(response.body.cart.items[0].product_name).toBe('🖊');
    });

    it('when a checkout shipping address holds a lone surrogate, then 422 (not 500) and the cart is kept', async () => {
      expect((await add(JSON.stringify(item('sur-checkout')))).status).toBe(200);
      const body = {
        customer_id: 'sur-checkout',
        payment_method: 'credit_card',
        shipping_address: { street: '§', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' },
      };
      const response = await server.request('POST', '/api/v1/cart/checkout', {
        rawBody: JSON.stringify(body).replace('"§"', '"1 Main \\ud800St"'),
        headers: json,
      });
      expectError(response, 422, 'VALIDATION_FAILED');
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'shipping_address.street' })]);
      const cart = await server.request('GET', '/api/v1/cart/sur-checkout');
      expect(cart.body).toMatchObject({ items: [expect.objectContaining({ product_id: 'p-1' })], version: 1 });
      const orders = await server.request('GET', '/api/v1/customers/sur-checkout/orders');
      expect(orders.status).toBe(200);
      expect(JSON.stringify(orders.body)).not.toContain('Main');
    });
  });

  describe('numbers read from their source text', () => {
    it.each([
      ['19.9900000000000000001', 'price'],
      ['1999.0000000000000000001e-2', 'price'],
      ['1e400', 'price'],
      ['0.001', 'price'],
    ])('when the price is written %s, then 422 VALIDATION_FAILED and nothing is stored', async (price, field) => {
      const response = await add(JSON.stringify({ ...item('num-price'), price: '§' }).replace('"§"', price));
      expectError(response, 422, 'VALIDATION_FAILED');
      expect(response.body.details).toEqual([expect.objectContaining({ field })]);
      await expectNothingStored('num-price');
    });

    it('when the price is more precise than two decimals, then the message says so', async () => {
      const response = await add(
        JSON.stringify({ ...item('num-message'), price: '§' }).replace('"§"', '19.9900000000000000001'),
      );
      expect(response.body.details).toEqual([
        { field: 'price', message: 'price must be a number with at most two decimals' },
      ]);
    });

    it('when a quantity is a number a double would round, then 422 and nothing is stored', async () => {
      const response = await add(
        JSON.stringify({ ...item('num-quantity'), quantity: '§' }).replace('"§"', '2.0000000000000000001'),
      );
      expectError(response, 422, 'VALIDATION_FAILED');
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'quantity' })]);
      await expectNothingStored('num-quantity');
    });

    it.each([
      ['19.99', 19.99],
      ['"19.99"', 19.99],
      ['19.990', 19.99],
      ['1.999e1', 19.99],
      ['5', 5],
    ])('when the price is written %s, then it is exactly %s', async (price, stored) => {
      const customer = `num-ok-${price.replace(/\W/g, '')}`;
      const response = await add(JSON.stringify({ ...item(customer), price: '§' }).replace('"§"', price));
      expect(response.status).toBe(200);
      expect(response.body.cart.items[0].price).toBe(stored);
    });
  });

  describe('media types and charsets', () => {
    it.each(['latin1', 'ISO-8859-1', 'utf-16'])(
      'when the charset is %s, then 415 UNSUPPORTED_MEDIA_TYPE and nothing is stored',
      async (charset) => {
        const response = await add(
          Buffer.from(JSON.stringify({ ...item('cs-latin1'), product_name: 'Café' }), 'latin1'),
          {
            'content-type': `application/json; charset=${charset}`,
          },
        );
        expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(response.body.error).toMatch(/UTF-8/);
        await expectNothingStored('cs-latin1');
      },
    );

    it('when the charset is UTF-8 in any spelling, then the body is read', async () => {
      for (const [customer, charset] of [
        ['cs-utf8-upper', 'UTF-8'],
        ['cs-utf8-lower', 'utf-8'],
        ['cs-utf8-quoted', '"utf-8"'],
      ]) {
        const response = await add(JSON.stringify({ ...item(customer), product_name: 'Café' }), {
          'content-type': `application/json; charset=${charset}`,
        });
        expect([customer, response.status]).toEqual([customer, 200]);
        expect(response.body.cart.items[0].product_name).toBe('Café');
      }
    });

    it('when the type is application/<something>+json, then it is parsed as JSON', async () => {
      const response = await add(JSON.stringify(item('mt-vnd')), { 'content-type': 'application/vnd.carthub+json' });
      expect(response.status).toBe(200);
      expect(response.body.cart.items).toEqual([expect.objectContaining({ product_id: 'p-1', quantity: 1 })]);
    });

    it('when the type is +json outside application/, then 415 and nothing is stored', async () => {
      const response = await add(JSON.stringify(item('mt-text')), { 'content-type': 'text/x-carthub+json' });
      expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
      await expectNothingStored('mt-text');
    });
  });

  describe('strict parsing', () => {
    it.each([
      ['a stray continuation byte', [0x80]],
      ['a latin1 é', [0xe9]],
      ['a truncated sequence', [0xe2, 0x82]],
      ['an encoded surrogate', [0xed, 0xa0, 0x80]],
      ['an overlong slash', [0xc0, 0xaf]],
    ])('when a body holds %s, then 400 INVALID_JSON and nothing is stored', async (_, bytes) => {
      const [before, after] = JSON.stringify({ ...item('utf8-bad'), product_name: 'Caf§' }).split('§');
      const rawBody = Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
      const response = await add(rawBody);
      expectError(response, 400, 'INVALID_JSON');
      expect(response.body.error).toMatch(/UTF-8/);
      await expectNothingStored('utf8-bad');
    });

    it('when a body has a __proto__ key, escaped or not, then 400 INVALID_JSON and nothing is stored', async () => {
      for (const key of ['__proto__', '\\u005f_proto__']) {
        const response = await add(JSON.stringify(item('utf8-proto')).replace('{', `{"${key}": {"admin": true},`));
        expectError(response, 400, 'INVALID_JSON');
      }
      await expectNothingStored('utf8-proto');
    });
  });

  describe('PUT with the quantity in the query (the 2.0.0 router)', () => {
    const put = (
      customer: string,
      query: string,
      options: { rawBody?: string; headers?: Record<string, string> } = {},
    ) => server.request('PUT', `/api/v1/cart/${customer}/items/p-1${query}`, options);

    async function cartWithPen(customer: string) {
      expect((await add(JSON.stringify(item(customer)))).status).toBe(200);
    }

    async function expectQuantity(customer: string, quantity: number, version: number) {
      const cart = await server.request('GET', `/api/v1/cart/${customer}`);
      expect(cart.body).toMatchObject({ items: [expect.objectContaining({ product_id: 'p-1', quantity })], version });
    }

    it('when ?quantity=N comes with no body, then it is set exactly like the JSON body', async () => {
      await cartWithPen('q-query');
      const response = await put('q-query', '?quantity=2');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ success: true, message: 'Quantity set to 2' });
      expect(response.body.cart.items).toEqual([expect.objectContaining({ product_id: 'p-1', quantity: 2 })]);
      await expectQuantity('q-query', 2, 2);
    });

    it('when ?quantity=0 comes with no body, then the line is removed', async () => {
      await cartWithPen('q-zero');
      const response = await put('q-zero', '?quantity=0');
      expect(response.status).toBe(200);
      expect(response.body.cart.items).toEqual([]);
    });

    it('when ?quantity=N comes with an empty body of any content type, then it is set', async () => {
      await cartWithPen('q-typed');
      for (const [quantity, type] of [
        [3, 'application/json'],
        [4, 'text/plain'],
        [5, 'application/x-www-form-urlencoded'],
      ] as const) {
        const response = await put('q-typed', `?quantity=${quantity}`, {
          rawBody: '',
          headers: { 'content-type': type },
        });
        expect([type, response.status]).toEqual([type, 200]);
      }
      await expectQuantity('q-typed', 5, 4);
    });

    it('when the request has neither Content-Length nor Transfer-Encoding, then ?quantity=N is set', async () => {
      await cartWithPen('q-bare');
      const { port } = new URL(server.baseUrl);
      const head = `PUT /api/v1/cart/q-bare/items/p-1?quantity=6 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(head));
        const chunks: Buffer[] = [];
        socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      await expectQuantity('q-bare', 6, 2);
    });

    it.each([
      ['no body and no quantity', 'q-bad-none', '', {}],
      [
        'an empty text/plain body and no quantity',
        'q-bad-text',
        '',
        { rawBody: '', headers: { 'content-type': 'text/plain' } },
      ],
      ['an empty JSON body and no quantity', 'q-bad-json', '', { rawBody: '', headers: json }],
      ['a quantity that is not a number', 'q-bad-nan', '?quantity=two', {}],
      ['a fractional quantity', 'q-bad-fraction', '?quantity=1.5', {}],
      ['a negative quantity', 'q-bad-negative', '?quantity=-1', {}],
      ['the quantity twice', 'q-bad-twice', '?quantity=1&quantity=2', {}],
      [
        'both a body and the query parameter',
        'q-bad-both',
        '?quantity=2',
        { rawBody: '{"quantity":2}', headers: json },
      ],
    ])(
      'when a PUT has %s, then 422 VALIDATION_FAILED naming quantity, never 415, and nothing changes',
      async (_, customer, query, options) => {
        await cartWithPen(customer);
        const response = await put(customer, query, options);
        expectError(response, 422, 'VALIDATION_FAILED');
        expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'quantity' })]));
        await expectQuantity(customer, 1, 1);
      },
    );

    it('when the OpenAPI document is read, then the PUT documents ?quantity and an optional body', async () => {
      const document = (await server.request('GET', '/openapi.json')).body;
      const operation = document.paths['/api/v1/cart/{customer_id}/items/{product_id}'].put;
      expect(operation.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'quantity',
            in: 'query',
            required: false,
            schema: expect.objectContaining({ type: 'integer', minimum: 0 }),
          }),
        ]),
      );
      expect(operation.requestBody).toMatchObject({ required: false });
    });
  });

  it('when nothing went wrong on our side, then no request above was logged as an error', () => {
    expect(server.logs.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});
