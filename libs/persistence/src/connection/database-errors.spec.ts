import { ServiceUnavailableError } from '@carthub/domain';
import { isUnavailable, translateDatabaseError } from './database-errors';

describe('isUnavailable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['an admin shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    [
      'a statement timeout',
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    ],
    ['a wrapped socket error', new Error('query failed', { cause: { code: 'ECONNRESET' } })],
    ...[
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'CERT_HAS_EXPIRED',
      'CERT_NOT_YET_VALID',
      'HOSTNAME_MISMATCH',
      'ERR_SSL_WRONG_VERSION_NUMBER',
    ].map((code): [string, Error] => [`a TLS failure (${code})`, Object.assign(new Error('tls'), { code })]),
    ['a server without TLS when TLS is required', new Error('The server does not support SSL connections')],
  ])('treats %s as the database being unavailable', (_, error) => {
    expect(isUnavailable(error)).toBe(true);
    expect(() => translateDatabaseError(error)).toThrow(ServiceUnavailableError);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a plain bug', new TypeError('x is undefined')],
    ['a non-error', 'boom'],
  ])('leaves %s as it is', (_, error) => {
    expect(isUnavailable(error)).toBe(false);
    expect(() => translateDatabaseError(error)).toThrow();
    try {
      translateDatabaseError(error);
    } catch (thrown) {
      expect(thrown).toBe(error);
    }
  });
});
