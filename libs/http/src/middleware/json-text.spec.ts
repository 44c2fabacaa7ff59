import { InexactNumber, parseJsonBytes } from './json-text';

const parse = (text: string) => parseJsonBytes(Buffer.from(text, 'utf8'));
/** A string value with a digit before an "e" sends the text through the reviver, whatever else it holds. */
const throughReviver = (text: string) => parse(`{"force":"1e","value":${text}}`) as { value: unknown };

describe('reading JSON text', () => {
  it('when numerals have at most 15 significant digits and no exponent, then JSON.parse alone reads what the reviver would', () => {
    const numerals = [
      '0',
      '-0',
      '1',
      '19.99',
      '19.990',
      '0.1',
      '0.30000000000000',
      '999999999999999',
      '-12345.6789012345',
    ];
    for (let i = 0; i < 2000; i++) {
      const digits = String(Math.floor(Math.random() * 1e15)).padStart(1 + (i % 15), '0');
      const point = i % 16;
      numerals.push(
        point === 0 || point >= digits.length ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`,
      );
    }
    for (const numeral of numerals.map((n) => n.replace(/^0+(?=\d)/, ''))) {
      expect(parse(`{"value":${numeral}}`)).toEqual({ value: throughReviver(numeral).value });
      expect(typeof (parse(`{"value":${numeral}}`) as { value: unknown }).value).toBe('number');
    }
  });

  it('when a numeral has 16 or more significant digits or an exponent a double cannot hold, then it stays inexact', () => {
    for (const numeral of [
      '19.9900000000000000001',
      '1234567890123456789',
      '1e400',
      '0.1000000000000000055511151231257827',
    ]) {
      expect((parse(`{"value":${numeral}}`) as { value: unknown }).value).toEqual(new InexactNumber(numeral));
    }
  });

  it('when a numeral with an exponent or many digits denotes a double exactly, then it is that number', () => {
    expect(parse('{"a":1.999e1,"b":1234567890123456,"c":0.50000000000000000}')).toEqual({
      a: 19.99,
      b: 1234567890123456,
      c: 0.5,
    });
  });

  it('when a key is __proto__, spelled plainly or in escapes, then the text is refused', () => {
    for (const text of ['{"__proto__":{}}', '{"\\u005f_proto__":1}', '{"a":{"__proto\\u005f_":1}}']) {
      expect(() => parse(text)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
