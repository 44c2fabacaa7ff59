import { HttpCatalog } from '@carthub/catalog';
import { RunningCatalogServer, ServedProduct, startCatalogServer } from '@carthub/catalog-server';
import { startTestServer, TestServer } from './test-server';

export interface CatalogApi {
  readonly catalog: RunningCatalogServer;
  readonly server: TestServer;
  /** Serves the products as they were given, with no fault: each test starts from there. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * The API in catalog mode against the reference catalog serving `products`.
 * No cache, so each test sees the catalog as it is now (the cache has tests of
 * its own); a generous timeout, so a busy machine does not read as an outage.
 */
export async function startCatalogApi(products: ServedProduct[]): Promise<CatalogApi> {
  const catalog = await startCatalogServer({ products });
  const source = new HttpCatalog({
    url: catalog.url,
    currency: 'USD',
    cacheTtlMs: 0,
    breakerFailures: 1_000,
    timeoutMs: 800,
  });
  const server = await startTestServer({ catalog: source });
  return {
    catalog,
    server,
    reset() {
      catalog.setFault(null);
      for (const product of products) catalog.setProduct(product);
    },
    async close() {
      await server.close();
      await catalog.close();
    },
  };
}
