import { CatalogProduct, parseCents } from '@carthub/domain';

/** The answer as a whole is not the interface's: no product in it can be trusted. */
export class MalformedAnswerError extends Error {}

/** One product is described in a way we cannot use; the rest of the answer is fine. */
class UnusableProductError extends Error {}

/** A product the catalog described in a way we cannot use, and what was wrong. */
export interface UnusableProduct {
  readonly productId: string;
  readonly problem: string;
}

export interface LookupAnswer {
  /** By product id; an unusable product is here too, as one the shop does not sell. */
  readonly products: Map<string, CatalogProduct>;
  readonly unusable: readonly UnusableProduct[];
}

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
const MAX_NAME_LENGTH = 255;

/**
 * Reads the body of `POST /products/lookup` into products by id. A product in
 * another currency than ours is one we cannot sell at its price, so it reads as
 * inactive; so does one whose fields are not of the promised shape (that is the
 * product's problem, not the catalog's). Throws MalformedAnswerError only when
 * the answer cannot be matched to products at all: not JSON, no "products"
 * array, or an entry that is not an object with a product_id.
 */
export function readLookupAnswer(body: string, currency: string): LookupAnswer {
  const answer = parseJson(body);
  if (!isRecord(answer) || !Array.isArray(answer['products'])) {
    throw new MalformedAnswerError('the answer is not an object with a "products" array');
  }
  const entries = new Map<string, Record<string, unknown>[]>();
  answer['products'].forEach((entry: unknown, index: number) => {
    const productId = isRecord(entry) ? entry['product_id'] : undefined;
    if (!isRecord(entry) || typeof productId !== 'string' || productId === '') {
      throw new MalformedAnswerError(`products[${index}] is not an object with a non-empty string product_id`);
    }
    entries.set(productId, [...(entries.get(productId) ?? []), entry]);
  });
  const products = new Map<string, CatalogProduct>();
  const unusable: UnusableProduct[] = [];
  for (const [productId, [entry, ...more]] of entries) {
    try {
      if (more.length > 0) throw new UnusableProductError(`is listed ${more.length + 1} times`);
      products.set(productId, readProduct(productId, entry, currency));
    } catch (error) {
      if (!(error instanceof UnusableProductError)) throw error;
      unusable.push({ productId, problem: error.message });
      products.set(productId, Object.freeze({ productId, active: false }));
    }
  }
  return { products, unusable };
}

function readProduct(productId: string, entry: Record<string, unknown>, currency: string): CatalogProduct {
  const name = readName(entry['name']);
  const unitPrice = readPrice(entry['price']);
  const active = readActive(entry['active']);
  const sellable = readCurrency(entry['currency']) === currency && active;
  return Object.freeze({ productId, name, unitPrice, active: sellable });
}

/** The same rule the API applies to a client's product_name, so a stored name is always one it would accept. */
function readName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : undefined;
  if (name === undefined || name === '' || name.length > MAX_NAME_LENGTH || !NO_CONTROL_CHARACTERS.test(name)) {
    throw new UnusableProductError(`name is not a name of 1–${MAX_NAME_LENGTH} characters without control characters`);
  }
  return name;
}

function readPrice(value: unknown): number {
  const cents = typeof value === 'number' || typeof value === 'string' ? parseCents(value) : undefined;
  if (cents === undefined || cents <= 0) {
    throw new UnusableProductError('price is not an amount greater than 0 with at most two decimals');
  }
  return cents;
}

function readCurrency(value: unknown): string {
  if (typeof value !== 'string') throw new UnusableProductError('currency is not a string');
  return value.trim().toUpperCase();
}

function readActive(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new UnusableProductError('active is not a boolean');
  return value;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new MalformedAnswerError('the answer is not JSON', { cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
