import {
  CatalogUnavailableError,
  DiscountCodeConflictError,
  DiscountCodeNotApplicableError,
  DomainError,
  DomainErrorCode,
  InvalidTransitionError,
  OutOfStockError,
  ServiceUnavailableError,
  StockBelowReservedError,
  StockReservedError,
} from '@carthub/domain';
import { stockRepresentation } from './stock/representation';

export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
}

/** An error that already knows its HTTP status and contract code; its message is safe to show. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
    /** Sent as Retry-After (whole seconds) when set. */
    readonly retryAfterSeconds?: number,
    /** Fields the contract adds to this error's body (e.g. INVALID_TRANSITION's `status`, PRICES_CHANGED's `changes`). */
    readonly extra?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** Every domain code's status: `tsc` fails when a new code has none, so no domain error can fall through to 500. */
export const DOMAIN_STATUS = {
  CART_LIMIT_EXCEEDED: 422,
  ITEM_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  VERSION_MISMATCH: 412,
  CART_EMPTY: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  VALIDATION_FAILED: 422,
  RATE_LIMITED: 429,
  PRODUCT_NOT_FOUND: 422,
  PRODUCT_UNAVAILABLE: 422,
  INVALID_TRANSITION: 409,
  ORDER_ALREADY_PAID: 409,
  PAYMENT_ID_IN_USE: 409,
  PAYMENT_AMOUNT_MISMATCH: 422,
  PAYMENT_CURRENCY_MISMATCH: 422,
  PRICES_CHANGED: 409,
  TOTAL_CHANGED: 409,
  DISCOUNT_CODE_EXISTS: 409,
  DISCOUNT_CODE_CONFLICT: 409,
  DISCOUNT_CODE_NOT_FOUND: 422,
  DISCOUNT_CODE_NOT_APPLICABLE: 422,
  DISCOUNT_CODE_NOT_ON_CART: 404,
  OUT_OF_STOCK: 409,
  STOCK_BELOW_RESERVED: 409,
  STOCK_RESERVED: 409,
} as const satisfies Record<DomainErrorCode, number>;

interface BodyErrorSpec {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** Why a request body could not be read; raw-body's error `type`s are among the keys. */
export const BODY_ERRORS = {
  'entity.parse.failed': { status: 400, code: 'INVALID_JSON', message: 'The request body is not valid JSON' },
  'entity.not.utf8': { status: 400, code: 'INVALID_JSON', message: 'The request body is not valid UTF-8' },
  'encoding.corrupt': {
    status: 400,
    code: 'INVALID_JSON',
    message: 'The request body is not valid gzip or deflate data',
  },
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  'entity.unexpected': { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'This request takes no body; send none' },
  'media.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the body as application/json',
  },
  'charset.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the body as UTF-8 (charset=utf-8, or no charset)',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the body uncompressed, or with Content-Encoding gzip or deflate',
  },
  'request.aborted': { status: 400, code: 'BAD_REQUEST', message: 'The request body was cut off' },
  'request.size.invalid': {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'The body length does not match Content-Length',
  },
} as const satisfies Record<string, BodyErrorSpec>;

export type BodyErrorType = keyof typeof BODY_ERRORS;

export const isBodyErrorType = (type: string): type is BodyErrorType => Object.hasOwn(BODY_ERRORS, type);

export function bodyError(type: BodyErrorType): HttpError {
  const { status, code, message } = BODY_ERRORS[type];
  return new HttpError(status, code, message);
}

/** Maps anything thrown while handling a request to the contract's error; undefined means "a bug: answer 500". */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof InvalidTransitionError) {
    return new HttpError(DOMAIN_STATUS[error.code], error.code, error.message, undefined, undefined, {
      status: error.status,
      allowed_transitions: error.allowed,
    });
  }
  const extra = extraFields(error);
  if (extra) {
    return new HttpError(
      DOMAIN_STATUS[extra.error.code],
      extra.error.code,
      extra.error.message,
      undefined,
      undefined,
      extra.fields,
    );
  }
  if (error instanceof DomainError) {
    return new HttpError(DOMAIN_STATUS[error.code], error.code, error.message, error.details, error.retryAfterSeconds);
  }
  if (error instanceof ServiceUnavailableError) {
    return new HttpError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; try again shortly');
  }
  if (error instanceof CatalogUnavailableError) {
    const retryAfterSeconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return new HttpError(503, 'CATALOG_UNAVAILABLE', error.message, undefined, retryAfterSeconds);
  }
  return undefined;
}

/** The fields the contract adds to a stock or discount refusal's body. */
function extraFields(error: unknown): { error: DomainError; fields: Record<string, unknown> } | undefined {
  if (error instanceof DiscountCodeNotApplicableError) return { error, fields: { reason: error.reason } };
  if (error instanceof DiscountCodeConflictError) return { error, fields: { conflicting_code: error.conflictingCode } };
  if (error instanceof OutOfStockError) return { error, fields: { product_id: error.productId, available: 0 } };
  if (error instanceof StockBelowReservedError || error instanceof StockReservedError) {
    return { error, fields: { stock: stockRepresentation(error.stock) } };
  }
  return undefined;
}
