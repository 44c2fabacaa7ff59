import { DomainError, ServiceUnavailableError } from '@carthub/domain';

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
  ) {
    super(message);
  }
}

const DOMAIN_STATUS: Record<string, number> = {
  CART_LIMIT_EXCEEDED: 422,
  ITEM_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  VERSION_MISMATCH: 412,
  CART_EMPTY: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  VALIDATION_FAILED: 422,
  RATE_LIMITED: 429,
};

// Errors raised while reading a body (by raw-body / co-body inside koa-body), by their `type`.
const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'INVALID_JSON', message: 'The request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'The body encoding is not supported',
  },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The body charset is not supported' },
  'request.aborted': { status: 400, code: 'BAD_REQUEST', message: 'The request body was cut off' },
  'request.size.invalid': {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'The body length does not match Content-Length',
  },
};

/** Maps anything thrown while handling a request to the contract's error; undefined means "a bug: answer 500". */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError && DOMAIN_STATUS[error.code]) {
    return new HttpError(DOMAIN_STATUS[error.code], error.code, error.message, error.details, error.retryAfterSeconds);
  }
  if (error instanceof ServiceUnavailableError) {
    return new HttpError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; try again shortly');
  }
  const bodyError = BODY_ERRORS[bodyErrorType(error)];
  return bodyError && new HttpError(bodyError.status, bodyError.code, bodyError.message);
}

function bodyErrorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const { type, name, status } = error as { type?: unknown; name?: unknown; status?: unknown };
  if (typeof type === 'string') return type;
  // co-body lets JSON.parse's SyntaxError through, marked 400.
  return name === 'SyntaxError' && status === 400 ? 'entity.parse.failed' : '';
}
