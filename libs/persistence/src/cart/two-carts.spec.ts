import { MikroORM } from '@mikro-orm/postgresql';
import { Cart, CartService, DEFAULT_CART_LIMITS } from '@carthub/domain';
import { createTestDatabase, queryDatabase, TestDatabase, testOutbox } from '../../testing';
import { cleanupExpiredCarts, createOrmConfig, expireCarts, PostgresCartRepository } from '../index';
import { changeTwoLockedCarts } from './cart-transaction';

describe('two carts changed in one transaction, and expired carts emptied', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let service: CartService;
  const pen = { productId: 'pen', productName: 'Pen', unitPrice: 150, quantity: 1 };

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(createOrmConfig({ url: database.url, poolMax: 10 }));
    service = new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS);
  });
  afterAll(async () => {
    await orm.close(true);
    await database.drop();
  });

  const sql = <T extends object>(text: string, values: unknown[] = []) => queryDatabase<T>(database.url, text, values);
  const versionOf = async (customerId: string) =>
    (await sql<{ version: number }>('select version from carts where customer_id = $1', [customerId]))[0]?.version;
  const eventsOf = async (customerId: string) =>
    (await sql<{ type: string }>('select type from outbox_events where aggregate_id = $1', [customerId])).length;

  it('when both carts change, then each moves its version by one and writes its own event', async () => {
    await service.addItem({ customerId: 'both-a', item: pen });
    await service.addItem({ customerId: 'both-b', item: pen });
    const { first, second } = await changeTwoLockedCarts(orm, testOutbox, ['both-b', 'both-a'], (b, a) => {
      b.clear();
      a.addItem(pen, DEFAULT_CART_LIMITS);
    });
    expect([first.version, second.version]).toEqual([2, 2]);
    expect([await eventsOf('both-a'), await eventsOf('both-b')]).toEqual([2, 2]);
  });

  it('when only one cart changes, then the other keeps its version, writes no event, and an absent one is not created', async () => {
    await service.addItem({ customerId: 'one-a', item: pen });
    const { first, second } = await changeTwoLockedCarts(orm, testOutbox, ['one-a', 'one-absent'], (a) =>
      a.addItem(pen, DEFAULT_CART_LIMITS),
    );
    expect([first.version, second.version]).toEqual([2, 0]);
    expect(await versionOf('one-absent')).toBeUndefined();
    expect(await eventsOf('one-absent')).toBe(0);
  });

  it('when neither cart changes or the work throws, then nothing is written', async () => {
    await service.addItem({ customerId: 'none-a', item: pen });
    await changeTwoLockedCarts(orm, testOutbox, ['none-a', 'none-b'], () => undefined);
    await expect(
      changeTwoLockedCarts(orm, testOutbox, ['none-a', 'none-b'], (a: Cart) => {
        a.clear();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect([await versionOf('none-a'), await versionOf('none-b')]).toEqual([1, undefined]);
    await expect(changeTwoLockedCarts(orm, testOutbox, ['same', 'same'], () => undefined)).rejects.toThrow();
  });

  it('when carts are past their TTL, then expireCarts empties each once, in batches, and leaves live and empty ones', async () => {
    await sql(`insert into carts (customer_id, version, updated_at)
               select 'sweep-' || g, 3, now() - interval '2 hours' from generate_series(1, 7) g
               union all select 'guest_sweep', 1, now() - interval '2 hours'
               union all select 'sweep-empty', 1, now() - interval '2 hours'
               union all select 'sweep-live', 1, now()`);
    await sql(`insert into cart_items (cart_id, product_id, product_name, price, quantity)
               select id, 'p', 'P', 1, 1 from carts where customer_id like '%sweep%' and customer_id <> 'sweep-empty'`);
    const ttls = { customerTtlSeconds: 3_600, guestTtlSeconds: 3_600 };

    await expect(expireCarts(orm, testOutbox, ttls, 3)).resolves.toBe(8);
    expect(await versionOf('sweep-1')).toBe(4);
    expect(await versionOf('sweep-empty')).toBe(1);
    expect(await versionOf('sweep-live')).toBe(1);
    expect(
      await sql(`select 1 from cart_items i join carts c on c.id = i.cart_id where c.customer_id = 'sweep-live'`),
    ).toHaveLength(1);
    expect(await cleanupExpiredCarts({ url: database.url }, ttls, (event) => ({ ...event }))).toBe(0);
  });
});
