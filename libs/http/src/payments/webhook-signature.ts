import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Carthub-Signature';

/** How far a delivery's `t` may be from this server's clock, either way: an older delivery cannot be replayed. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Why a delivery's signature was refused; its message is safe to show. */
export class SignatureRefusedError extends Error {}

interface SignatureHeader {
  /** `t` as sent: the signed text begins with it. */
  readonly timestamp: string;
  /** Every `v1` (a provider rolling its secret may send two), decoded. */
  readonly signatures: readonly Buffer[];
}

const TIMESTAMP = /^\d{1,15}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Checks `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` against
 * the body as received, or throws SignatureRefusedError. The digests are
 * compared in constant time.
 */
export function verifySignature(header: string, rawBody: Buffer, key: Buffer, nowSeconds: number): void {
  const parsed = parseSignatureHeader(header);
  if (!parsed) throw new SignatureRefusedError(`The ${SIGNATURE_HEADER} header is missing or malformed`);
  if (Math.abs(nowSeconds - Number(parsed.timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new SignatureRefusedError(
      `The ${SIGNATURE_HEADER} timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from the server's clock`,
    );
  }
  const expected = createHmac('sha256', key).update(`${parsed.timestamp}.`).update(rawBody).digest();
  if (!parsed.signatures.some((signature) => timingSafeEqual(signature, expected))) {
    throw new SignatureRefusedError(`The ${SIGNATURE_HEADER} signature does not match the body`);
  }
}

/** One `t`, at least one `v1`; other schemes are ignored, anything else is malformed. */
function parseSignatureHeader(header: string): SignatureHeader | undefined {
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 1) return undefined;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't') {
      if (timestamp !== undefined || !TIMESTAMP.test(value)) return undefined;
      timestamp = value;
    } else if (name === 'v1') {
      if (!HEX_SHA256.test(value)) return undefined;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}
