import { CatalogProduct, parseCents } from '@carthub/domain';

/** The catalog answered something other than the interface promises. */
export class MalformedAnswerError extends Error {}

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
const MAX_NAME_LENGTH = 255;

/**
 * Reads the body of `POST /products/lookup` into products by id. A product in
 * another currency than ours is one we cannot sell at its price, so it reads as
 * inactive. Throws MalformedAnswerError for anything not of the promised shape.
 */
export function readLookupAnswer(body: string, currency: string): Map<string, CatalogProduct> {
  const answer = parseJson(body);
  if (!isRecord(answer) || !Array.isArray(answer['products'])) {
    throw new MalformedAnswerError('the answer is not an object with a "products" array');
  }
  const products = new Map<string, CatalogProduct>();
  answer['products'].forEach((entry: unknown, index: number) => {
    const product = readProduct(entry, `products[${index}]`, currency);
    if (products.has(product.productId)) {
      throw new MalformedAnswerError(
        `products[${index}]: product_id ${JSON.stringify(product.productId)} appears twice`,
      );
    }
    products.set(product.productId, product);
  });
  return products;
}

function readProduct(entry: unknown, where: string, currency: string): CatalogProduct {
  if (!isRecord(entry)) throw new MalformedAnswerError(`${where} is not an object`);
  const { product_id: productId, name, price, currency: productCurrency, active } = entry;
  if (typeof productId !== 'string' || productId === '') {
    throw new MalformedAnswerError(`${where}.product_id is not a non-empty string`);
  }
  const product: CatalogProduct = {
    productId,
    name: readName(name, `${where}.name`),
    unitPrice: readPrice(price, `${where}.price`),
    active: readBoolean(active, `${where}.active`),
  };
  const sellable = readCurrency(productCurrency, `${where}.currency`) === currency;
  return Object.freeze(sellable ? product : { ...product, active: false });
}

/** The same rule the API applies to a client's product_name, so a stored name is always one it would accept. */
function readName(value: unknown, where: string): string {
  const name = typeof value === 'string' ? value.trim() : undefined;
  if (name === undefined || name === '' || name.length > MAX_NAME_LENGTH || !NO_CONTROL_CHARACTERS.test(name)) {
    throw new MalformedAnswerError(
      `${where} is not a name of 1–${MAX_NAME_LENGTH} characters without control characters`,
    );
  }
  return name;
}

function readPrice(value: unknown, where: string): number {
  const cents = typeof value === 'number' || typeof value === 'string' ? parseCents(value) : undefined;
  if (cents === undefined || cents <= 0) {
    throw new MalformedAnswerError(`${where} is not an amount greater than 0 with at most two decimals`);
  }
  return cents;
}

function readCurrency(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new MalformedAnswerError(`${where} is not a string`);
  return value.trim().toUpperCase();
}

function readBoolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new MalformedAnswerError(`${where} is not a boolean`);
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
