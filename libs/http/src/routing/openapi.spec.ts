import Router from '@koa/router';
import { PAYMENT_METHODS } from '@carthub/domain';
import { startTestServer, TestServer } from '../../test/test-server';

// Operations whose contract takes no body at all.
const BODILESS = ['/api/v1/guest-sessions', '/api/v1/orders/:order_id/delivery'];

describe('the OpenAPI document', () => {
  let server: TestServer;
  let document: {
    openapi: string;
    paths: Record<
      string,
      Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown; responses: object }>
    >;
  };

  beforeAll(async () => {
    server = await startTestServer();
    document = (await server.request('GET', '/openapi.json')).body;
  });
  afterAll(() => server.close());

  it('is OpenAPI 3.1 and lists every route the API serves, each with its schemas', async () => {
    expect(document.openapi).toBe('3.1.0');
    const served = servedRoutes(server).filter(
      ([, path]) => !['/metrics', '/openapi.json', '/asyncapi.json'].includes(path) && !path.startsWith('/docs'),
    );
    expect(served.length).toBeGreaterThanOrEqual(12);
    for (const [method, path] of served) {
      const operation = document.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      expect([method, path, operation !== undefined]).toEqual([method, path, true]);
      const pathParams = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]);
      const documented = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect([path, documented.sort()]).toEqual([path, pathParams.sort()]);
      if ((method === 'POST' || method === 'PUT') && !BODILESS.includes(path))
        expect([path, operation.requestBody !== undefined]).toEqual([path, true]);
    }
  });

  it('when authentication is on, then customer operations need the bearer scheme and system ones need nothing', () => {
    const operations = document.paths as Record<string, Record<string, { security?: object[] }>>;
    expect(operations['/api/v1/cart/{customer_id}']['get'].security).toEqual([{ bearer: [] }]);
    expect(operations['/api/v1/orders/{order_id}']['get'].security).toEqual([{ bearer: [] }]);
    expect(operations['/health']['get'].security).toEqual([]);
    expect((document as unknown as { components: object }).components).toMatchObject({
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    });
  });

  it('documents the checkout body, headers and answers from the validating schemas', () => {
    const checkout = document.paths['/api/v1/cart/checkout']['post'] as Record<string, any>;
    const body = checkout['requestBody'].content['application/json'].schema;
    expect(body.properties.payment_method.enum).toEqual([...PAYMENT_METHODS]);
    expect(body.required).toEqual(['customer_id', 'payment_method', 'shipping_address']);
    expect(body.additionalProperties).toBe(false);
    expect(checkout['parameters']).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
      expect.objectContaining({ name: 'If-Match', in: 'header', required: false }),
    ]);
    expect(Object.keys(checkout['responses'])).toEqual(expect.arrayContaining(['201', '409', '412', '422', '503']));
    expect(checkout['responses']['201'].headers).toHaveProperty('Location');
  });

  it('documents the payment webhook: no bearer token, its signature header, 401, and the Order it answers', () => {
    const webhook = document.paths['/api/v1/payment-webhooks']['post'] as Record<string, any>;
    expect(webhook['security']).toEqual([]);
    expect(webhook['parameters']).toEqual([
      expect.objectContaining({ name: 'Carthub-Signature', in: 'header', required: true }),
    ]);
    const body = webhook['requestBody'].content['application/json'].schema;
    expect(body.required).toEqual(['type', 'order_id', 'payment_id', 'amount', 'currency']);
    expect(Object.keys(webhook['responses'])).toEqual(expect.arrayContaining(['200', '401', '404', '409', '422']));
    expect(webhook['responses']['200'].headers).toHaveProperty('Idempotent-Replayed');
  });

  it('when /docs is opened, then the page and its Swagger UI assets come from this server, not a CDN', async () => {
    const page = await server.request('GET', '/docs');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of ['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/docs/init.js']) {
      expect((await server.request('GET', asset)).status).toBe(200);
    }
  });
});

/** The routes the running app's router holds, read back from the router itself. */
function servedRoutes(server: TestServer): [string, string][] {
  const router = server.app.middleware.map((middleware) => (middleware as { router?: Router }).router).find(Boolean)!;
  return router.stack.flatMap((layer) =>
    layer.methods
      .filter((method) => method !== 'HEAD')
      .map((method): [string, string] => [method, layer.path as string]),
  );
}
