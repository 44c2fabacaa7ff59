import { setTimeout as wait } from 'node:timers/promises';
import { CatalogUnavailableError } from '@carthub/domain';
import { RunningCatalogServer, ServedProduct, startCatalogServer } from '@carthub/catalog-server';
import {
  answer,
  FakeCatalog,
  hang,
  paddedAnswer,
  RecordingObserver,
  redirectTo,
  refusingUrl,
  startFakeCatalog,
} from '../test/fake-catalogs';
import { HttpCatalog, HttpCatalogOptions } from './http-catalog';

const LAPTOP = { product_id: 'prod-456', name: 'Gaming Laptop', price: 1299.99, currency: 'USD', active: true };
const KEYBOARD = { product_id: 'prod-789', name: 'Mechanical Keyboard', price: '89.50', currency: 'USD', active: true };
const NETBOOK = { product_id: 'prod-900', name: 'Netbook', price: 249.99, currency: 'USD', active: false };

let reference: RunningCatalogServer;
let fake: FakeCatalog | undefined;

beforeEach(async () => {
  reference = await startCatalogServer({ products: [LAPTOP, KEYBOARD, NETBOOK] });
});

afterEach(async () => {
  await reference.close();
  await fake?.close();
  fake = undefined;
});

// A generous timeout unless a test is about timeouts: a busy machine must not turn an answer into a failure.
const catalogAt = (url: string, options: Partial<HttpCatalogOptions> = {}) =>
  new HttpCatalog({ url, currency: 'USD', timeoutMs: 5_000, ...options });

async function fakeCatalog(respond: Parameters<typeof startFakeCatalog>[0]): Promise<FakeCatalog> {
  fake = await startFakeCatalog(respond);
  return fake;
}

async function failure(lookup: Promise<unknown>): Promise<CatalogUnavailableError> {
  const error = await lookup.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CatalogUnavailableError);
  return error as CatalogUnavailableError;
}

describe('HttpCatalog lookups', () => {
  it('when products are looked up, then each comes back by id with its name, price in cents and state', async () => {
    const products = await catalogAt(reference.url).lookup(['prod-456', 'prod-789', 'prod-900'], { fresh: false });

    expect(Object.fromEntries(products)).toEqual({
      'prod-456': { productId: 'prod-456', name: 'Gaming Laptop', unitPrice: 129999, active: true },
      'prod-789': { productId: 'prod-789', name: 'Mechanical Keyboard', unitPrice: 8950, active: true },
      'prod-900': { productId: 'prod-900', name: 'Netbook', unitPrice: 24999, active: false },
    });
    expect(reference.lookups).toEqual([['prod-456', 'prod-789', 'prod-900']]);
  });

  it('when the catalog answers in another order than asked, then products are matched by product_id', async () => {
    const catalog = await fakeCatalog(answer(200, JSON.stringify({ products: [KEYBOARD, LAPTOP] })));

    const products = await catalogAt(catalog.url).lookup(['prod-456', 'prod-789'], { fresh: false });

    expect(products.get('prod-456')?.name).toBe('Gaming Laptop');
    expect(products.get('prod-789')?.unitPrice).toBe(8950);
  });

  it('when an id is unknown to the catalog, then it is missing from the answer and asked for again next time', async () => {
    const catalog = catalogAt(reference.url);

    const first = await catalog.lookup(['prod-456', 'prod-nope'], { fresh: false });
    const second = await catalog.lookup(['prod-nope'], { fresh: false });

    expect([...first.keys()]).toEqual(['prod-456']);
    expect(second.size).toBe(0);
    expect(reference.lookups).toEqual([['prod-456', 'prod-nope'], ['prod-nope']]);
  });

  it('when a product is priced in another currency than ours, then it reads as inactive', async () => {
    reference.setProduct({ ...LAPTOP, currency: 'EUR' });

    const products = await catalogAt(reference.url).lookup(['prod-456'], { fresh: false });

    expect(products.get('prod-456')).toMatchObject({ unitPrice: 129999, active: false });
  });

  it('when the currency differs only in letter case, then the product is still sellable', async () => {
    reference.setProduct({ ...LAPTOP, currency: 'usd' });

    const products = await catalogAt(reference.url, { currency: 'USD' }).lookup(['prod-456'], { fresh: false });

    expect(products.get('prod-456')?.active).toBe(true);
  });

  it('when the same id is asked twice in one lookup, then the catalog is asked for it once', async () => {
    await catalogAt(reference.url).lookup(['prod-456', 'prod-456'], { fresh: true });

    expect(reference.lookups).toEqual([['prod-456']]);
  });

  it('when no ids are asked for, then the catalog is not called', async () => {
    const products = await catalogAt(reference.url).lookup([], { fresh: true });

    expect(products.size).toBe(0);
    expect(reference.lookups).toEqual([]);
  });

  it('when the catalog URL has a path, then lookups go below it', async () => {
    const catalog = await fakeCatalog(answer(200, JSON.stringify({ products: [LAPTOP] })));

    const products = await catalogAt(`${catalog.url}/shop/`).lookup(['prod-456'], { fresh: true });

    expect(products.size).toBe(1);
  });
});

describe('HttpCatalog cache', () => {
  it('when a product is looked up twice, then the second answer comes from the cache without a request', async () => {
    const observer = new RecordingObserver();
    const catalog = catalogAt(reference.url, { observer });

    await catalog.lookup(['prod-456'], { fresh: false });
    const again = await catalog.lookup(['prod-456'], { fresh: false });

    expect(again.get('prod-456')?.unitPrice).toBe(129999);
    expect(reference.lookups).toHaveLength(1);
    expect({ hits: observer.hits, misses: observer.misses, requests: observer.requests }).toEqual({
      hits: 1,
      misses: 1,
      requests: ['ok'],
    });
  });

  it('when some products are cached, then only the missing ones are asked for, in one request', async () => {
    const catalog = catalogAt(reference.url);
    await catalog.lookup(['prod-456'], { fresh: false });

    const products = await catalog.lookup(['prod-456', 'prod-789', 'prod-900'], { fresh: false });

    expect([...products.keys()].sort()).toEqual(['prod-456', 'prod-789', 'prod-900']);
    expect(reference.lookups).toEqual([['prod-456'], ['prod-789', 'prod-900']]);
  });

  it('when a cached product outlives its TTL, then the catalog is asked again', async () => {
    const catalog = catalogAt(reference.url, { cacheTtlMs: 1 });
    await catalog.lookup(['prod-456'], { fresh: false });
    reference.setProduct({ ...LAPTOP, price: '1199.99' });
    await wait(20);

    const products = await catalog.lookup(['prod-456'], { fresh: false });

    expect(products.get('prod-456')?.unitPrice).toBe(119999);
    expect(reference.lookups).toHaveLength(2);
  });

  it('when the cache TTL is 0, then every lookup asks the catalog', async () => {
    const observer = new RecordingObserver();
    const catalog = catalogAt(reference.url, { cacheTtlMs: 0, observer });

    await catalog.lookup(['prod-456'], { fresh: false });
    await catalog.lookup(['prod-456'], { fresh: false });

    expect(reference.lookups).toHaveLength(2);
    expect(observer.hits + observer.misses).toBe(0);
  });

  it('when a lookup is fresh, then it asks the catalog even for cached products, and refreshes the cache', async () => {
    const observer = new RecordingObserver();
    const catalog = catalogAt(reference.url, { observer });
    await catalog.lookup(['prod-456'], { fresh: false });
    reference.setProduct({ ...LAPTOP, price: 1399 });

    const fresh = await catalog.lookup(['prod-456'], { fresh: true });
    const cached = await catalog.lookup(['prod-456'], { fresh: false });

    expect(fresh.get('prod-456')?.unitPrice).toBe(139900);
    expect(cached.get('prod-456')?.unitPrice).toBe(139900);
    expect(reference.lookups).toHaveLength(2);
    expect({ hits: observer.hits, misses: observer.misses }).toEqual({ hits: 1, misses: 1 });
  });

  it('when a fresh lookup finds a cached product gone, then the cache no longer answers for it', async () => {
    const catalog = catalogAt(reference.url);
    await catalog.lookup(['prod-456'], { fresh: false });
    reference.removeProduct('prod-456');

    const fresh = await catalog.lookup(['prod-456'], { fresh: true });
    const after = await catalog.lookup(['prod-456'], { fresh: false });

    expect(fresh.size).toBe(0);
    expect(after.size).toBe(0);
    expect(reference.lookups).toHaveLength(3);
  });

  it('when the cache is full, then the least recently used product is asked for again', async () => {
    const catalog = catalogAt(reference.url, { cacheMaxEntries: 2 });
    await catalog.lookup(['prod-456', 'prod-789'], { fresh: false });
    await catalog.lookup(['prod-900'], { fresh: false });

    await catalog.lookup(['prod-456', 'prod-789', 'prod-900'], { fresh: false });

    expect(reference.lookups.at(-1)).toEqual(['prod-456']);
  });
});

const product = (fields: Partial<Record<keyof ServedProduct, unknown>>) =>
  JSON.stringify({ products: [{ ...LAPTOP, ...fields }] });

describe('HttpCatalog products it cannot use', () => {
  /** The laptop as given, beside a keyboard that is fine. */
  const laptopBesideKeyboard = (fields: Partial<Record<keyof ServedProduct, unknown>>) =>
    JSON.stringify({ products: [{ ...LAPTOP, ...fields }, KEYBOARD] });

  it.each([
    ['prices a product with three decimals', { price: '1299.999' }, /^price /],
    ['prices a product below zero', { price: -1 }, /^price /],
    ['prices a product at zero', { price: 0 }, /^price /],
    ['prices a product with text that is not a number', { price: 'cheap' }, /^price /],
    ['prices a product with a boolean', { price: true }, /^price /],
    ['omits a name', { name: undefined }, /^name /],
    ['names a product with control characters', { name: 'Laptop\u0000' }, /^name /],
    ['names a product with 256 characters', { name: 'x'.repeat(256) }, /^name /],
    ['gives active as text', { active: 'true' }, /^active /],
    ['omits the currency', { currency: undefined }, /^currency /],
  ])(
    'when the catalog %s, then that product reads as unavailable, the others stay usable, and the call succeeded',
    async (_shape, fields, problem) => {
      const observer = new RecordingObserver();
      const catalog = await fakeCatalog(answer(200, laptopBesideKeyboard(fields)));

      const products = await catalogAt(catalog.url, { observer }).lookup(['prod-456', 'prod-789'], { fresh: false });

      expect(products.get('prod-456')).toEqual({ productId: 'prod-456', active: false });
      expect(products.get('prod-789')).toMatchObject({ unitPrice: 8950, active: true });
      expect(observer.requests).toEqual(['ok']);
      expect(observer.unusable).toEqual([{ productId: 'prod-456', problem: expect.stringMatching(problem) }]);
    },
  );

  it('when the catalog lists one product twice, then that product reads as unavailable', async () => {
    const observer = new RecordingObserver();
    const catalog = await fakeCatalog(answer(200, JSON.stringify({ products: [LAPTOP, KEYBOARD, LAPTOP] })));

    const products = await catalogAt(catalog.url, { observer }).lookup(['prod-456', 'prod-789'], { fresh: false });

    expect(products.get('prod-456')?.active).toBe(false);
    expect(products.get('prod-789')?.active).toBe(true);
    expect(observer.unusable).toEqual([{ productId: 'prod-456', problem: 'is listed 2 times' }]);
  });

  it('when an unusable product is asked for far more often than the breaker allows failures, then it stays closed', async () => {
    const observer = new RecordingObserver();
    const server = await fakeCatalog(answer(200, product({ name: 'x'.repeat(300) })));
    const catalog = catalogAt(server.url, { breakerFailures: 2, cacheTtlMs: 0, observer });

    for (let call = 0; call < 6; call += 1) {
      expect((await catalog.lookup(['prod-456'], { fresh: true })).get('prod-456')?.active).toBe(false);
    }

    expect(server.requests).toBe(6);
    expect(observer.states).toEqual(['closed']);
  });

  it('when an unusable product is looked up again within the TTL, then the cache answers it as unavailable', async () => {
    const server = await fakeCatalog(answer(200, product({ price: '1.001' })));
    const catalog = catalogAt(server.url);
    await catalog.lookup(['prod-456'], { fresh: false });

    const again = await catalog.lookup(['prod-456'], { fresh: false });

    expect(again.get('prod-456')?.active).toBe(false);
    expect(server.requests).toBe(1);
  });
});

describe('HttpCatalog failures', () => {
  it.each([
    ['answers 500', answer(500, '{"error":"boom"}')],
    ['answers 404', answer(404, '{"error":"no such path"}')],
    ['answers 204', answer(204, '')],
    ['answers bad JSON', answer(200, '{"products": [')],
    ['answers something not an object', answer(200, '[]')],
    ['answers products that are not an array', answer(200, '{"products": {}}')],
    ['answers a product that is not an object', answer(200, '{"products": ["prod-456"]}')],
    ['omits a product_id', answer(200, product({ product_id: undefined }))],
    ['gives a product_id that is not a string', answer(200, product({ product_id: 456 }))],
    ['gives an empty product_id', answer(200, product({ product_id: '' }))],
  ])('when the catalog %s, then the lookup fails as catalog unavailable', async (_shape, respond) => {
    const observer = new RecordingObserver();
    const catalog = await fakeCatalog(respond);

    const error = await failure(catalogAt(catalog.url, { observer }).lookup(['prod-456'], { fresh: false }));

    expect(error.code).toBe('CATALOG_UNAVAILABLE');
    expect(error.retryAfterMs).toBe(1_000);
    expect(observer.requests).toEqual(['error']);
  });

  it('when the catalog does not answer within the timeout, then the lookup fails as catalog unavailable', async () => {
    const observer = new RecordingObserver();
    const catalog = await fakeCatalog(hang);

    const error = await failure(
      catalogAt(catalog.url, { timeoutMs: 50, observer }).lookup(['prod-456'], { fresh: true }),
    );

    expect(error.message).toMatch(/no answer within 50 ms/);
    expect(observer.requests).toEqual(['timeout']);
  });

  it('when the catalog redirects, then the lookup fails without following it', async () => {
    const observer = new RecordingObserver();
    const catalog = await fakeCatalog(redirectTo(`${reference.url}/products/lookup`));

    const error = await failure(catalogAt(catalog.url, { observer }).lookup(['prod-456'], { fresh: true }));

    expect(error.message).toMatch(/HTTP 307 \(redirects are not followed\)/);
    expect(reference.lookups).toEqual([]);
    expect(observer.requests).toEqual(['error']);
  });

  it('when the answer declares a length over the cap, then the lookup fails', async () => {
    const observer = new RecordingObserver();
    const catalog = await fakeCatalog(answer(200, JSON.stringify({ products: [LAPTOP, KEYBOARD] })));

    const error = await failure(
      catalogAt(catalog.url, { maxResponseBytes: 100, observer }).lookup(['prod-456'], { fresh: true }),
    );

    expect(error.message).toMatch(/the answer is over 100 bytes/);
    expect(observer.requests).toEqual(['error']);
  });

  it('when a streamed answer grows over the cap, then the client stops reading it and the lookup fails', async () => {
    const huge = paddedAnswer(8 * 1024 * 1024, [LAPTOP]);
    const catalog = await fakeCatalog(huge.respond);

    const error = await failure(
      catalogAt(catalog.url, { maxResponseBytes: 64 * 1024 }).lookup(['prod-456'], { fresh: true }),
    );

    expect(error.message).toMatch(/the answer is over 65536 bytes/);
    expect(await huge.ended).toBe('closed early');
  });

  it('when a streamed answer stays within the cap, then it is read whole', async () => {
    const padded = paddedAnswer(200 * 1024, [LAPTOP]);
    const catalog = await fakeCatalog(padded.respond);

    const products = await catalogAt(catalog.url, { maxResponseBytes: 256 * 1024 }).lookup(['prod-456'], {
      fresh: true,
    });

    expect(products.get('prod-456')?.active).toBe(true);
    expect(await padded.ended).toBe('finished');
  });

  it('when nothing listens at the catalog URL, then the lookup fails as catalog unavailable', async () => {
    const error = await failure(catalogAt(await refusingUrl()).lookup(['prod-456'], { fresh: true }));

    expect(error.message).toMatch(/unreachable \(ECONNREFUSED\)/);
  });

  it('when a lookup fails, then nothing is cached and the next lookup asks again', async () => {
    const catalog = catalogAt(reference.url);
    reference.setFault({ status: 503 });
    await failure(catalog.lookup(['prod-456'], { fresh: false }));
    reference.setFault(null);

    const products = await catalog.lookup(['prod-456'], { fresh: false });

    expect(products.size).toBe(1);
    expect(reference.lookups).toHaveLength(2);
  });
});

describe('HttpCatalog circuit breaker', () => {
  it('when N calls in a row fail, then the breaker opens and answers at once without calling the catalog', async () => {
    const observer = new RecordingObserver();
    const server = await fakeCatalog(answer(500, '{}'));
    const catalog = catalogAt(server.url, { breakerFailures: 3, breakerResetMs: 60_000, observer });
    for (let call = 0; call < 3; call += 1) await failure(catalog.lookup(['prod-456'], { fresh: true }));

    const rejected = await failure(catalog.lookup(['prod-456'], { fresh: true }));

    expect(server.requests).toBe(3);
    expect(rejected.message).toMatch(/circuit breaker is open/);
    expect(rejected.retryAfterMs).toBeGreaterThan(1_000);
    expect(rejected.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(observer.requests).toEqual(['error', 'error', 'error', 'rejected']);
    expect(observer.states).toEqual(['closed', 'open']);
  });

  it('when the failure that opens the breaker is answered, then it already tells how long the breaker stays open', async () => {
    const server = await fakeCatalog(answer(500, '{}'));
    const catalog = catalogAt(server.url, { breakerFailures: 1, breakerResetMs: 60_000 });

    const opening = await failure(catalog.lookup(['prod-456'], { fresh: true }));

    expect(opening.retryAfterMs).toBeGreaterThan(1_000);
  });

  it('when a call succeeds between failures, then the count starts over', async () => {
    const catalog = catalogAt(reference.url, { breakerFailures: 2, breakerResetMs: 60_000 });
    reference.setFault({ status: 500 });
    await failure(catalog.lookup(['prod-456'], { fresh: true }));
    reference.setFault(null);
    await catalog.lookup(['prod-456'], { fresh: true });
    reference.setFault({ status: 500 });
    await failure(catalog.lookup(['prod-456'], { fresh: true }));
    reference.setFault(null);

    const products = await catalog.lookup(['prod-456'], { fresh: true });

    expect(products.size).toBe(1);
    expect(reference.lookups).toHaveLength(4);
  });

  it('when the breaker has been open for the reset time, then one call tries again and closes it on success', async () => {
    const observer = new RecordingObserver();
    const catalog = catalogAt(reference.url, { breakerFailures: 2, breakerResetMs: 50, observer });
    reference.setFault({ status: 500 });
    for (let call = 0; call < 2; call += 1) await failure(catalog.lookup(['prod-456'], { fresh: true }));
    reference.setFault(null);
    await wait(100);

    const products = await catalog.lookup(['prod-456'], { fresh: true });

    expect(products.get('prod-456')?.name).toBe('Gaming Laptop');
    expect(reference.lookups).toHaveLength(3);
    expect(observer.states).toEqual(['closed', 'open', 'half_open', 'closed']);
  });

  it('when the half-open retry fails, then the breaker opens again and answers at once', async () => {
    const observer = new RecordingObserver();
    const server = await fakeCatalog(answer(502, '{}'));
    const catalog = catalogAt(server.url, { breakerFailures: 1, breakerResetMs: 50, observer });
    await failure(catalog.lookup(['prod-456'], { fresh: true }));
    await wait(100);
    await failure(catalog.lookup(['prod-456'], { fresh: true }));

    await failure(catalog.lookup(['prod-456'], { fresh: true }));

    expect(server.requests).toBe(2);
    expect(observer.states).toEqual(['closed', 'open', 'half_open', 'open']);
    expect(observer.requests).toEqual(['error', 'error', 'rejected']);
  });

  it('when the breaker is open, then cached products are still answered from the cache', async () => {
    const catalog = catalogAt(reference.url, { breakerFailures: 1, breakerResetMs: 60_000 });
    await catalog.lookup(['prod-456'], { fresh: false });
    reference.setFault({ status: 500 });
    await failure(catalog.lookup(['prod-456'], { fresh: true }));

    const products = await catalog.lookup(['prod-456'], { fresh: false });

    expect(products.get('prod-456')?.unitPrice).toBe(129999);
  });
});

describe('HttpCatalog options', () => {
  it.each([
    ['a URL that is not absolute', { url: '/products' }],
    ['a URL that is not http', { url: 'ftp://127.0.0.1/' }],
    ['a currency that is not an ISO code', { currency: 'dollars' }],
    ['a timeout of 0', { timeoutMs: 0 }],
    ['a negative cache TTL', { cacheTtlMs: -1 }],
    ['a breaker that opens after 0 failures', { breakerFailures: 0 }],
    ['a fractional reset time', { breakerResetMs: 1.5 }],
    ['an answer cap of 0 bytes', { maxResponseBytes: 0 }],
  ])('when given %s, then the constructor refuses it', (_case, options) => {
    expect(() => catalogAt('http://127.0.0.1:1', options)).toThrow(/HttpCatalog: /);
  });

  it('when an option is left undefined, then its default applies', () => {
    expect(() => catalogAt('http://127.0.0.1:1', { timeoutMs: undefined, cacheTtlMs: undefined })).not.toThrow();
  });
});
