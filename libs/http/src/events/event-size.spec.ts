import { largestEventBytes, linesThatFit, orderEventSize } from './event-size';

describe('the largest order event', () => {
  const limits = { maxItems: 100, maxQuantityPerItem: 99 };

  it('when lines are added, then each costs the same: its widest JSON and a separator', () => {
    const { fixedBytes, bytesPerLine } = orderEventSize(limits);
    // Two product texts of 255 three-byte characters are most of a line.
    expect(bytesPerLine).toBeGreaterThan(2 * 255 * 3);
    expect(bytesPerLine).toBeLessThan(2 * 255 * 3 + 200);
    expect(largestEventBytes(limits)).toBe(fixedBytes + 100 * bytesPerLine);
  });

  it('when a byte limit is given, then the lines that fit are the most whose event stays within it', () => {
    const mib = 1024 * 1024;
    const fit = linesThatFit(mib, { maxItems: 10_000, maxQuantityPerItem: 1 });
    expect(largestEventBytes({ maxItems: fit, maxQuantityPerItem: 1 })).toBeLessThanOrEqual(mib);
    expect(largestEventBytes({ maxItems: fit + 1, maxQuantityPerItem: 1 })).toBeGreaterThan(mib);
    expect(linesThatFit(mib, { maxItems: 10, maxQuantityPerItem: 1 })).toBe(10);
    expect(linesThatFit(1_000, limits)).toBe(0);
  });
});
