import { DriverException, ConnectionException } from '@mikro-orm/core';
import { ServiceUnavailableError } from '@carthub/domain';

// SQLSTATE classes and codes that mean "the database cannot serve right now", not "the request was wrong".
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)|^57014$|^40001$|^40P01$/;
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ETIMEDOUT|Client has encountered a connection error/i;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

// Duck-typed on purpose: errors raised by Node's sockets need not share this realm's Error class.
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (error instanceof ConnectionException) return true;
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, message, cause } = error as ErrorLike;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || /^E[A-Z]+$/.test(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  return !(error instanceof DriverException) && isUnavailable(cause, depth + 1);
}

/** Rethrows driver-level outages as the domain's availability error; anything else unchanged. */
export function translateDatabaseError(error: unknown): never {
  throw isUnavailable(error) ? new ServiceUnavailableError(error) : error;
}
