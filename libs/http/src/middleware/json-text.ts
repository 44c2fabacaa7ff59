import { bodyError, HttpError } from '../errors';

/**
 * A JSON number that a double cannot hold exactly, such as 19.9900000000000000001 (which JSON.parse
 * reads as 19.99) or 1e400: kept as the text the client wrote, so validation refuses it instead of
 * the parser silently rounding it. No schema accepts it as a number.
 */
export class InexactNumber {
  constructor(readonly source: string) {}
}

// Not streaming, so one decoder serves every request; `fatal` refuses bytes that are not UTF-8
// instead of replacing them with U+FFFD.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/*
 * Text without any of these has no "__proto__" key (an escape could spell one) and only numerals of
 * at most 15 significant digits and no exponent, which a double always holds exactly (DBL_DIG), so
 * JSON.parse alone reads it right, without the reviver's cost per value. A string that merely looks
 * like one of them only costs the reviver.
 */
const NEEDS_REVIVER = /\\|__proto__|\d[eE]|\d[\d.]{15}/;

/** The JSON value in a body's bytes: strict UTF-8, no `__proto__` keys, no silently rounded numbers. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw bodyError('entity.not.utf8');
  }
  try {
    return NEEDS_REVIVER.test(text) ? JSON.parse(text, reviveExactly) : JSON.parse(text);
  } catch (error) {
    throw error instanceof HttpError ? error : bodyError('entity.parse.failed');
  }
}

function reviveExactly(key: string, value: unknown, context?: { source?: string }): unknown {
  // A `__proto__` key is harmless in JSON.parse's result but not in what later copies it.
  if (key === '__proto__') throw bodyError('entity.parse.failed');
  if (typeof value !== 'number' || context?.source === undefined) return value;
  return denotesExactly(context.source, value) ? value : new InexactNumber(context.source);
}

/** True when the numeral and the double are the same decimal: "19.990" and "1.999e1" are 19.99 exactly. */
function denotesExactly(numeral: string, value: number): boolean {
  return Number.isFinite(value) && decimalValue(numeral) === decimalValue(String(value));
}

const NUMERAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/** One spelling per decimal value, "<sign><significant digits>e<exponent>", for JSON numerals and String(number) alike. */
function decimalValue(numeral: string): string {
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = NUMERAL.exec(numeral) ?? [];
  const digits = (whole + fraction).replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '');
  if (significant === '') return '0';
  const scale = Number(exponent) - fraction.length + (digits.length - significant.length);
  return `${sign}${significant}e${scale}`;
}
