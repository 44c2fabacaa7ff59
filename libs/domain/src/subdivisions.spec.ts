import { UnknownStateError } from './errors';
import { parseRate, PricingRules, Rate, resolveDestination, taxRateFor } from './pricing';
import { subdivisionCode } from './subdivisions';

describe('subdivisionCode', () => {
  it.each([
    ['US', 'WA', 'WA'],
    ['US', 'wa', 'WA'],
    ['us', ' US-WA ', 'WA'],
    ['US', 'Washington', 'WA'],
    ['US', 'WASHINGTON', 'WA'],
    ['US', 'new  york', 'NY'],
    ['DE', 'baden-württemberg', 'BW'],
    ['DE', 'Baden-Wu\u0308rttemberg', 'BW'],
    ['CA', 'British Columbia', 'BC'],
    // A region and one of its districts share the name: the region is meant.
    ['BD', 'Dhaka', 'C'],
  ])('in %p, %p is %p', (country, text, code) => {
    expect(subdivisionCode(country, text)).toBe(code);
  });

  it.each([
    ['US', 'Narnia'],
    ['US', 'Bavaria'],
    ['US', 'DE-BY'],
    ['US', ''],
    ['ZZ', 'WA'],
    // Two districts of one level share this name: only the code says which.
    ['AZ', 'Lənkəran'],
  ])('in %p, %p names no subdivision', (country, text) => {
    expect(subdivisionCode(country, text)).toBeUndefined();
  });
});

describe('resolveDestination', () => {
  const rate = (text: string) => parseRate(text) as Rate;
  const rules: PricingRules = {
    tax: [
      { country: 'US', state: 'WA', rate: rate('0.101') },
      { country: 'US', rate: rate('0') },
      { country: 'CA', rate: rate('0.05') },
    ],
  };

  it('when the state is a name, then it becomes the code its rule is written with', () => {
    const destination = resolveDestination(rules, { country: 'US', state: 'washington', zip: '98101' });
    expect(destination).toEqual({ country: 'US', state: 'WA', zip: '98101' });
    expect(taxRateFor(rules, destination)).toEqual(rate('0.101'));
  });

  it('when the country has state rules and the state is none of its subdivisions, then it is refused naming the field', () => {
    expect(() => resolveDestination(rules, { country: 'US', state: 'Narnia' })).toThrow(UnknownStateError);
    try {
      resolveDestination(rules, { country: 'us', state: 'Narnia' });
    } catch (error) {
      expect((error as UnknownStateError).details).toEqual([
        { field: 'shipping_address.state', message: expect.stringContaining('subdivision of US') },
      ]);
    }
  });

  it('when the country has no state rules, then any state is kept as written, and a known one becomes its code', () => {
    expect(resolveDestination(rules, { country: 'CA', state: 'Somewhere' })).toEqual({
      country: 'CA',
      state: 'Somewhere',
    });
    expect(resolveDestination(rules, { country: 'CA', state: 'ontario' })).toEqual({ country: 'CA', state: 'ON' });
  });

  it("when there is no state (an estimate), then the country's rule applies", () => {
    const destination = resolveDestination(rules, { country: 'US' });
    expect(destination).toEqual({ country: 'US' });
    expect(taxRateFor(rules, destination)).toEqual(rate('0'));
  });
});
