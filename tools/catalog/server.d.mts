// Types for server.mjs, so TypeScript tests can start the reference catalog in-process.

/** A product as the catalog serves it; served verbatim, so a test may also serve a malformed one. */
export interface ServedProduct {
  product_id: string;
  name?: unknown;
  price?: unknown;
  currency?: unknown;
  active?: unknown;
}

/** Makes every lookup fail until cleared: answer `status`, and/or answer `delayMs` later. */
export interface CatalogFault {
  status?: number;
  delayMs?: number;
}

export interface CatalogServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** A JSON array of products; defaults to tools/catalog/products.json. */
  productsFile?: string;
  /** Serves these instead of a file. */
  products?: ServedProduct[];
  /** One line per request; silent by default. */
  log?: (line: string) => void;
}

export interface RunningCatalogServer {
  /** http://127.0.0.1:<port>, the value for CATALOG_URL. */
  readonly url: string;
  readonly port: number;
  /** The ids asked for by every lookup served, in order. */
  readonly lookups: string[][];
  setProduct(product: ServedProduct): void;
  removeProduct(productId: string): void;
  setFault(fault: CatalogFault | null): void;
  close(): Promise<void>;
}

export const DEFAULT_PRODUCTS_FILE: string;
export function readProductsFile(file: string): ServedProduct[];
export function startCatalogServer(options?: CatalogServerOptions): Promise<RunningCatalogServer>;
