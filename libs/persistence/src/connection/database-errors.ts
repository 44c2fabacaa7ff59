import { DriverException, ConnectionException } from '@mikro-orm/core';
import { ServiceUnavailableError } from '@carthub/domain';

// SQLSTATE classes and codes that mean "the database cannot serve right now", not "the request was wrong".
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)|^57014$|^40001$|^40P01$/;
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ETIMEDOUT|Client has encountered a connection error|server does not support SSL/i;
/*
 * TLS to the server failed: its certificate did not verify (OpenSSL's X.509 results, e.g.
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT; node's host name
 * check, ERR_TLS_CERT_ALTNAME_INVALID) or the handshake broke (ERR_SSL_*). Like a refused connection,
 * the database cannot be reached until the server or the settings change; no request is at fault.
 */
const TLS_FAILURES =
  /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|CERT_|CRL_|ERROR_IN_C|(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|INVALID_CA|PATH_LENGTH_EXCEEDED|INVALID_PURPOSE|HOSTNAME_MISMATCH)$)/;

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
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_SQLSTATE.test(code) || /^E[A-Z]+$/.test(code) || TLS_FAILURES.test(code))
  ) {
    return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  return !(error instanceof DriverException) && isUnavailable(cause, depth + 1);
}

/** Rethrows driver-level outages as the domain's availability error; anything else unchanged. */
export function translateDatabaseError(error: unknown): never {
  throw isUnavailable(error) ? new ServiceUnavailableError(error) : error;
}
