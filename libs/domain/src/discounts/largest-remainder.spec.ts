import fc from 'fast-check';
import { shareByLargestRemainder } from './largest-remainder';

describe('shareByLargestRemainder', () => {
  it('shares add up to the total exactly, none passes its weight, each within a cent of its exact share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 99 * 9_999_999_999 }), { minLength: 1, maxLength: 100 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, fraction) => {
          const sumOfWeights = weights.reduce((a, b) => a + b, 0);
          const total = Math.floor(sumOfWeights * fraction);
          const shares = shareByLargestRemainder(total, weights);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(sumOfWeights === 0 ? 0 : total);
          shares.forEach((share, index) => {
            expect(share).toBeGreaterThanOrEqual(0);
            expect(share).toBeLessThanOrEqual(weights[index]);
            const exact = (BigInt(total) * BigInt(weights[index])) / BigInt(Math.max(sumOfWeights, 1));
            expect(BigInt(share) - exact >= 0n && BigInt(share) - exact <= 1n).toBe(true);
          });
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('gives the leftover cents to the largest remainders, the earlier line on a tie', () => {
    expect(shareByLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(shareByLargestRemainder(10, [3, 3, 4])).toEqual([3, 3, 4]);
    expect(shareByLargestRemainder(5, [2, 7])).toEqual([1, 4]);
    expect(shareByLargestRemainder(0, [2, 7])).toEqual([0, 0]);
  });
});
