import { Cents } from '../money';

/**
 * Shares `total` cents among `weights` in proportion, by the largest-remainder
 * rule: each gets the floor of its exact share, and the cents left over go one
 * each to the largest fractional remainders (the earlier weight on a tie). The
 * shares add up to `total` exactly; with `total` ≤ the sum of the weights, no
 * share passes its weight. Exact in BigInt: a share's product passes 2^53.
 */
export function shareByLargestRemainder(total: Cents, weights: readonly Cents[]): Cents[] {
  const sumOfWeights = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (total === 0 || sumOfWeights === 0n) return weights.map(() => 0);
  const exact = weights.map((weight) => BigInt(total) * BigInt(weight));
  const shares = exact.map((product) => product / sumOfWeights);
  let left = BigInt(total) - shares.reduce((sum, share) => sum + share, 0n);
  const byRemainder = exact
    .map((product, index) => ({ index, remainder: product % sumOfWeights }))
    .filter(({ remainder }) => remainder > 0n)
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (left === 0n) break;
    shares[index] += 1n;
    left -= 1n;
  }
  return shares.map(Number);
}
