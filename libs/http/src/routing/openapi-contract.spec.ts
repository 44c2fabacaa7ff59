import { createConfig, lintFromString } from '@redocly/openapi-core';
import { OpenApiConformance, OpenApiDocument } from '../../test/openapi-conformance';
import { startTestServer, TestServer } from '../../test/test-server';

type Json = Record<string, any>;
type PriceMode = 'client' | 'catalog';

/** Every operation of the document, with its method and path template. */
function operationsOf(document: OpenApiDocument): { method: string; path: string; operation: Json }[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ method, path, operation: operation as Json })),
  );
}

/** Every schema node under `node`, with where it is. */
function* schemaNodes(node: unknown, at = '#'): Generator<[string, Json]> {
  if (node === null || typeof node !== 'object') return;
  if (!Array.isArray(node)) yield [at, node as Json];
  for (const [key, child] of Object.entries(node)) {
    if (key !== 'examples') yield* schemaNodes(child, `${at}/${key}`);
  }
}

const MONEY_FIELDS = ['price', 'amount', 'expected_total', 'subtotal', 'tax', 'shipping', 'total', 'total_amount'];

describe.each<PriceMode>(['client', 'catalog'])('the OpenAPI document in %s mode', (prices) => {
  let server: TestServer;
  let document: OpenApiDocument;

  beforeAll(async () => {
    server = await startTestServer({ settings: { prices } });
    document = (await server.request('GET', '/openapi.json')).body;
  });
  afterAll(() => server.close());

  it('passes the OpenAPI 3.1 linter (Redocly, its recommended rules with warnings as errors)', async () => {
    const config = await createConfig({
      extends: ['recommended-strict'],
      // The service banner and the health checks have no client error to answer: there is nothing to send wrong.
      rules: { 'operation-4xx-response': 'off' },
    });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
    expect(problems.map((problem) => `${problem.ruleId} ${problem.location[0]?.pointer}: ${problem.message}`)).toEqual(
      [],
    );
  });

  it('compiles under Ajv strict mode: ECMA-262 patterns without flags, known formats, typed headers', () => {
    expect(() => new OpenApiConformance(document).compileAll()).not.toThrow();
    for (const [at, node] of schemaNodes(document.paths)) {
      if (typeof node.pattern === 'string')
        expect([at, node.pattern]).not.toEqual([at, expect.stringMatching(/\/\w*$/)]);
    }
    const headerParameters = operationsOf(document).flatMap(({ operation }) =>
      (operation.parameters ?? []).filter((parameter: Json) => parameter.in === 'header'),
    );
    expect(headerParameters.length).toBeGreaterThan(0);
    for (const parameter of headerParameters)
      expect([parameter.name, parameter.schema.type]).toEqual([parameter.name, 'string']);
  });

  it('states the bounds of every money field, in requests and answers', () => {
    let moneyFields = 0;
    for (const [at, node] of schemaNodes(document.paths)) {
      for (const [name, property] of Object.entries<Json>(node.properties ?? {})) {
        if (!MONEY_FIELDS.includes(name) || property.type === 'integer') continue;
        moneyFields++;
        const forms: Json[] = property.anyOf ?? [property];
        const numeric = forms.find((form) => form.type === 'number');
        expect([`${at}/${name}`, numeric?.maximum, numeric?.minimum ?? numeric?.exclusiveMinimum]).toEqual([
          `${at}/${name}`,
          expect.any(Number),
          0,
        ]);
      }
    }
    expect(moneyFields).toBeGreaterThan(20);
  });

  it('says which price mode it describes, and what an added line needs in it', () => {
    const addItem = document.paths['/api/v1/cart/items']['post'] as Json;
    const required: string[] = addItem.requestBody.content['application/json'].schema.required;
    expect((document.info as Json).description).toContain(`PRICE_SOURCE=${prices}`);
    if (prices === 'client') expect(required).toEqual(expect.arrayContaining(['product_name', 'price']));
    else expect(required).not.toEqual(expect.arrayContaining(['product_name']));
  });

  it('gives an example of every required parameter and of every request body', () => {
    const missing = operationsOf(document).flatMap(({ operation }) => [
      ...(operation.parameters ?? [])
        .filter((parameter: Json) => parameter.required && parameter.schema.examples === undefined)
        .map((parameter: Json) => `${operation.operationId}: ${parameter.in} ${parameter.name}`),
      ...(operation.requestBody && operation.requestBody.content['application/json'].schema.examples === undefined
        ? [`${operation.operationId}: body`]
        : []),
    ]);
    expect(missing).toEqual([]);
  });
});

describe('a client that sends only what the document exemplifies', () => {
  let server: TestServer;
  let document: OpenApiDocument;

  beforeAll(async () => {
    server = await startTestServer();
    document = (await server.request('GET', '/openapi.json')).body;
  });
  afterAll(() => server.close());

  const called = new Set<string>();

  /**
   * Calls an operation with its required parameters and its body as the document's examples give them
   * (the `example`-th of the body's examples); only an order's id comes from an earlier answer.
   */
  async function call(operationId: string, { example = 0, orderId }: { example?: number; orderId?: string } = {}) {
    const found = operationsOf(document).find(({ operation }) => operation.operationId === operationId);
    if (!found) throw new Error(`no operation ${operationId} in the document`);
    const { method, path, operation } = found;
    const required = (operation.parameters ?? []).filter((parameter: Json) => parameter.required);
    const valueOf = (parameter: Json) =>
      parameter.name === 'order_id' && orderId ? orderId : String(parameter.schema.examples[0]);
    const url = required
      .filter((parameter: Json) => parameter.in === 'path')
      .reduce(
        (built: string, parameter: Json) =>
          built.replace(`{${parameter.name}}`, encodeURIComponent(valueOf(parameter))),
        path,
      );
    const headers = Object.fromEntries(
      required
        .filter((parameter: Json) => parameter.in === 'header')
        .map((parameter: Json) => [parameter.name, valueOf(parameter)]),
    );
    const query = new URLSearchParams(
      required
        .filter((parameter: Json) => parameter.in === 'query')
        .map((parameter: Json) => [parameter.name, valueOf(parameter)]),
    ).toString();
    const body = operation.requestBody?.content['application/json'].schema.examples[example];
    const response = await server.request(method.toUpperCase(), query ? `${url}?${query}` : url, { body, headers });
    called.add(operationId);
    expect([operationId, response.status, response.status < 300 ? '2xx' : response.body]).toEqual([
      operationId,
      expect.any(Number),
      '2xx',
    ]);
    return response;
  }

  it("when every operation is called so, in a shopper's order, then each answers 2xx", async () => {
    for (const operationId of ['service', 'liveness', 'health', 'readiness', 'getOrderStates', 'createGuestSession']) {
      await call(operationId);
    }
    await call('addItem');
    await call('getCart');
    await call('quoteCart');
    await call('mergeCarts');
    const paid = (await call('checkout')).body.order_id;
    await call('listOrders');
    await call('getOrder', { orderId: paid });
    await call('payOrder', { orderId: paid });
    await call('fulfilOrder', { orderId: paid });
    await call('deliverOrder', { orderId: paid });

    await call('addItem');
    await call('cancelOrder', { orderId: (await call('checkout')).body.order_id });
    await call('addItem');
    const refunded = (await call('checkout')).body.order_id;
    await call('payOrder', { orderId: refunded, example: 1 });
    await call('refundOrder', { orderId: refunded });

    await call('addItem');
    await call('updateItem');
    await call('removeItem');
    await call('addItem');
    // Operators' endpoints are open with authentication off, as every other.
    await call('createDiscountCode');
    await call('getDiscountCode');
    await call('addDiscountCode');
    await call('removeDiscountCode');
    await call('updateDiscountCode');
    await call('clearCart');

    for (const operationId of ['setStock', 'adjustStock', 'getStock', 'getAvailability', 'untrackStock']) {
      await call(operationId);
    }

    // A webhook delivery is signed over its body and the clock, which no example can give (and this server
    // has no PAYMENT_WEBHOOK_SECRET); payment-webhooks.spec.ts delivers signed ones.
    const signedOnly = new Set(['receivePaymentWebhook']);
    const documented = operationsOf(document).map(({ operation }) => operation.operationId);
    expect(documented.filter((operationId) => !called.has(operationId) && !signedOnly.has(operationId))).toEqual([]);
  });

  it('when money is sent at the bound the document states, then the API reads it; a cent more is 422', async () => {
    const boundOf = (path: string, field: string) => {
      const body = (document.paths[path]['post'] as Json).requestBody.content['application/json'].schema;
      return body.properties[field].anyOf.find((form: Json) => form.type === 'number').maximum as number;
    };
    const [maxPrice, maxTotal] = [
      boundOf('/api/v1/cart/items', 'price'),
      boundOf('/api/v1/cart/checkout', 'expected_total'),
    ];
    const checkout = (expectedTotal: number) =>
      server.request('POST', '/api/v1/cart/checkout', {
        body: {
          customer_id: 'bounds',
          payment_method: 'paypal',
          shipping_address: { street: 's', city: 'c', state: 'WA', zip: 'z', country: 'US' },
          expected_total: expectedTotal,
        },
      });

    const added = await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'bounds', product_id: 'p', product_name: 'P', price: maxPrice, quantity: 1 },
    });
    const atBound = await checkout(maxTotal);
    const past = await checkout(maxTotal + 0.01);

    expect([added.status, added.body.cart.subtotal]).toEqual([200, 99_999_999.99]);
    expect([atBound.status, atBound.body.code]).toEqual([409, 'TOTAL_CHANGED']);
    expect([past.status, past.body.details]).toEqual([422, [{ field: 'expected_total', message: expect.any(String) }]]);
  });
});
