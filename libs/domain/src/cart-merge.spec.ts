import fc from 'fast-check';
import { Cart, CartLine } from './cart';
import { CartLimits } from './cart-limits';
import { mergeCarts, MERGE_STRATEGIES, MergeStrategy } from './cart-merge';

const limits: CartLimits = { maxQuantityPerItem: 10, maxItems: 3 };
const line = (productId: string, quantity: number, unitPrice = 100, productName = productId): CartLine => ({
  productId,
  productName,
  unitPrice,
  quantity,
});
const cartWith = (customerId: string, lines: CartLine[], version = lines.length ? 1 : 0) =>
  Cart.restore({ customerId, lines, version, createdAt: null, updatedAt: null });
const quantities = (cart: Cart) => Object.fromEntries(cart.items.map((l) => [l.productId, l.quantity]));

describe('mergeCarts', () => {
  it.each([
    ['sum', { a: 5, b: 1, c: 2 }],
    ['max', { a: 3, b: 1, c: 2 }],
    ['keep_target', { a: 3, b: 1, c: 2 }],
    ['replace', { a: 2, c: 2 }],
  ] as const)('with %s, the target ends with %p', (strategy, expected) => {
    const target = cartWith('t', [line('a', 3), line('b', 1)]);
    const source = cartWith('s', [line('a', 2), line('c', 2)]);

    expect(mergeCarts(target, source, strategy, limits)).toEqual([]);

    expect(quantities(target)).toEqual(expected);
    expect(source.isEmpty).toBe(true);
  });

  it("when a product is in both, then the source's name and price win (sum and max)", () => {
    for (const strategy of ['sum', 'max'] as const) {
      const target = cartWith('t', [line('a', 1, 100, 'Old name')]);
      mergeCarts(target, cartWith('s', [line('a', 1, 250, 'New name')]), strategy, limits);
      expect(target.line('a')).toMatchObject({ productName: 'New name', unitPrice: 250 });
    }
  });

  it('when the sum passes the per-line maximum, then it is set to the maximum with QUANTITY_LIMITED', () => {
    const target = cartWith('t', [line('a', 7)]);
    const warnings = mergeCarts(target, cartWith('s', [line('a', 6)]), 'sum', limits);
    expect(warnings).toEqual([{ code: 'QUANTITY_LIMITED', productId: 'a', requested: 13, quantity: 10 }]);
    expect(target.line('a')?.quantity).toBe(10);
  });

  it("when the target fills up, then the source's later lines stay in the source with CART_FULL", () => {
    const target = cartWith('t', [line('a', 1), line('b', 1)]);
    const source = cartWith('s', [line('c', 1), line('d', 1), line('e', 1)]);
    const warnings = mergeCarts(target, source, 'sum', limits);
    expect(warnings).toEqual([
      { code: 'CART_FULL', productId: 'd' },
      { code: 'CART_FULL', productId: 'e' },
    ]);
    expect(target.items.map((l) => l.productId)).toEqual(['a', 'b', 'c']);
    expect(source.items.map((l) => l.productId)).toEqual(['d', 'e']);
  });

  it('when a product is no longer sold, then its line stays in the source with PRODUCT_UNAVAILABLE, whatever the strategy', () => {
    for (const strategy of MERGE_STRATEGIES) {
      const target = cartWith('t', [line('a', 1)]);
      const source = cartWith('s', [line('a', 2), line('gone', 1), line('c', 1)]);
      const warnings = mergeCarts(target, source, strategy, limits, (l) => (l.productId === 'gone' ? null : l));
      expect(warnings).toEqual([{ code: 'PRODUCT_UNAVAILABLE', productId: 'gone' }]);
      expect(target.line('gone')).toBeUndefined();
      expect(target.line('c')?.quantity).toBe(1);
      expect(source.items).toEqual([line('gone', 1)]);
    }
  });

  it('when the source is empty, then nothing changes, whatever the strategy', () => {
    for (const strategy of MERGE_STRATEGIES) {
      const target = cartWith('t', [line('a', 1)]);
      const source = cartWith('s', []);
      expect(mergeCarts(target, source, strategy, limits)).toEqual([]);
      expect([target.hasChanges, source.hasChanges]).toEqual([false, false]);
    }
  });

  it('when the same merge runs again, then it changes nothing', () => {
    const target = cartWith('t', [line('a', 1), line('b', 1)]);
    const source = cartWith('s', [line('c', 1), line('d', 1)]);
    mergeCarts(target, source, 'sum', limits);
    const [again, leftover] = [cartWith('t', [...target.items], 2), cartWith('s', [...source.items], 2)];
    mergeCarts(again, leftover, 'sum', limits);
    expect([again.hasChanges, leftover.hasChanges]).toEqual([false, false]);
  });

  const anyLines = fc
    .uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: limits.maxItems })
    .chain((ids) =>
      fc.tuple(...ids.map((id) => fc.integer({ min: 1, max: limits.maxQuantityPerItem }).map((q) => line(id, q)))),
    );

  it('never breaks a limit, and every source line ends up in the target, left in the source, or (keep_target) dropped', () => {
    fc.assert(
      fc.property(anyLines, anyLines, fc.constantFrom(...MERGE_STRATEGIES), (targetLines, sourceLines, strategy) => {
        const target = cartWith('t', targetLines);
        const source = cartWith('s', sourceLines);
        const warnings = mergeCarts(target, source, strategy as MergeStrategy, limits);

        expect(target.lineCount).toBeLessThanOrEqual(limits.maxItems);
        for (const l of target.items) expect(l.quantity).toBeLessThanOrEqual(limits.maxQuantityPerItem);
        const full = warnings.filter((w) => w.code === 'CART_FULL').map((w) => w.productId);
        expect(source.items.map((l) => l.productId)).toEqual(full);
        for (const incoming of sourceLines) {
          const kept = target.line(incoming.productId) !== undefined || full.includes(incoming.productId);
          const dropped = strategy === 'keep_target' && targetLines.some((l) => l.productId === incoming.productId);
          expect(kept || dropped).toBe(true);
        }
      }),
    );
  });
});
