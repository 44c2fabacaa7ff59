import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPricingRules } from './pricing-rules';

const folder = mkdtempSync(join(tmpdir(), 'pricing-rules-'));
const fileWith = (name: string, content: unknown) => {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('loadPricingRules', () => {
  it("when the file is the contract's example, then rates and amounts are read exactly", () => {
    const file = fileWith('example.json', {
      tax: [
        { country: 'US', state: 'WA', rate: '0.101' },
        { country: 'us', rate: '0' },
      ],
      shipping: { flat: '5.99', free_over: '100.00' },
    });
    expect(loadPricingRules(file)).toEqual({
      tax: [
        { country: 'US', state: 'WA', rate: { numerator: 101n, denominator: 1000n } },
        { country: 'US', rate: { numerator: 0n, denominator: 1n } },
      ],
      shipping: { flat: 599, freeOver: 10_000 },
    });
  });

  it('when a rule names a state by name or in another case, then it is stored as its ISO 3166-2 code', () => {
    const file = fileWith('names.json', {
      tax: [
        { country: 'US', state: 'Washington', rate: '0.101' },
        { country: 'US', state: 'or', rate: '0' },
        { country: 'DE', state: 'DE-BY', rate: '0.19' },
      ],
    });
    expect(loadPricingRules(file).tax.map((rule) => rule.state)).toEqual(['WA', 'OR', 'BY']);
  });

  it('when no file is configured, then there is no tax and no shipping', () => {
    expect(loadPricingRules(undefined)).toEqual({ tax: [] });
  });

  it.each([
    ['a missing file', join(folder, 'absent.json')],
    ['a file that is not JSON', fileWith('broken.json', '{"tax": [')],
    ['a rate above 1', fileWith('rate.json', { tax: [{ country: 'US', rate: '1.5' }] })],
    ['a rate as a number', fileWith('number.json', { tax: [{ country: 'US', rate: 0.1 }] })],
    ['shipping with three decimals', fileWith('shipping.json', { shipping: { flat: '5.999' } })],
    ['an unknown field', fileWith('unknown.json', { discount: '10' })],
    ['a country that is not two letters', fileWith('country.json', { tax: [{ country: 'USA', rate: '0.1' }] })],
    [
      'a state that is no subdivision',
      fileWith('state.json', { tax: [{ country: 'US', state: 'Narnia', rate: '0.1' }] }),
    ],
    [
      'a state of another country',
      fileWith('elsewhere.json', { tax: [{ country: 'US', state: 'Bavaria', rate: '0.1' }] }),
    ],
    [
      'one state twice, once by name',
      fileWith('twice.json', {
        tax: [
          { country: 'US', state: 'WA', rate: '0.1' },
          { country: 'US', state: 'washington', rate: '0.2' },
        ],
      }),
    ],
  ])('when the file has %s, then start-up stops naming PRICING_RULES_FILE', (_, file) => {
    expect(() => loadPricingRules(file)).toThrow(/Invalid configuration: PRICING_RULES_FILE/);
  });
});
