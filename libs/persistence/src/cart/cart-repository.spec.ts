import { MikroORM } from '@mikro-orm/postgresql';
import {
  CartService,
  DEFAULT_CART_LIMITS,
  ItemNotFoundError,
  ServiceUnavailableError,
  VersionMismatchError,
} from '@carthub/domain';
import { createTestDatabase, findFreePort, queryDatabase, TestDatabase, testOutbox } from '../../testing';
import { createOrmConfig, PostgresCartRepository } from '../index';

describe('PostgresCartRepository', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let carts: PostgresCartRepository;
  let service: CartService;
  const pen = { productId: 'pen', productName: 'Pen', unitPrice: 150, quantity: 1 };

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(createOrmConfig({ url: database.url, poolMax: 20 }));
    carts = new PostgresCartRepository(orm, testOutbox);
    service = new CartService(carts, DEFAULT_CART_LIMITS);
  });

  afterAll(async () => {
    await orm.close(true);
    await database.drop();
  });

  const sql = <T extends object>(text: string) => queryDatabase<T>(database.url, text);

  it('when a customer has no cart, then find answers undefined', async () => {
    await expect(carts.find('nobody')).resolves.toBeUndefined();
  });

  it('when lines are added, then they come back in the order first added, with exact prices and a version per change', async () => {
    await service.addItem({ customerId: 'order', item: { ...pen, productId: 'b', unitPrice: 10 } });
    await service.addItem({ customerId: 'order', item: { ...pen, productId: 'a', unitPrice: 20 } });
    await service.addItem({
      customerId: 'order',
      item: { ...pen, productId: 'b', unitPrice: 9_999_999_999, quantity: 2 },
    });

    const cart = await carts.find('order');
    expect(cart).toMatchObject({ customerId: 'order', version: 3 });
    expect(cart!.lines).toEqual([
      { productId: 'b', productName: 'Pen', unitPrice: 9_999_999_999, quantity: 3 },
      { productId: 'a', productName: 'Pen', unitPrice: 20, quantity: 1 },
    ]);
    expect(cart!.createdAt).toBeInstanceOf(Date);
    expect(cart!.updatedAt!.getTime()).toBeGreaterThanOrEqual(cart!.createdAt!.getTime());
    const [row] = await sql<{ price: string }>(`select price from cart_items where product_id = 'b'`);
    expect(row.price).toBe('99999999.99');
  });

  // Each repository queues its own changes of a cart; five of them race in the database as five API processes would.
  const processes = () =>
    Array.from({ length: 5 }, () => new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS));

  it.each([
    ['one process', () => [service]],
    ['five processes', processes],
  ])(
    'when 50 adds of one product race (%s), then the quantity is 50 and the version moved 50 times',
    async (name, of) => {
      const services = of();
      const customerId = `race-one-${name}`;
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => services[i % services.length].addItem({ customerId, item: pen })),
      );
      const cart = await carts.find(customerId);
      expect(cart!.lines).toEqual([expect.objectContaining({ productId: 'pen', quantity: 50 })]);
      expect(cart!.version).toBe(50);
    },
  );

  it('when 50 adds of different products race on a new cart, then there are 50 lines and no unique-key error', async () => {
    const services = processes();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        services[i % 5].addItem({ customerId: 'race-many', item: { ...pen, productId: `p-${i}` } }),
      ),
    );
    const cart = await carts.find('race-many');
    expect(cart!.lines).toHaveLength(50);
    expect(new Set(cart!.lines.map((line) => line.productId)).size).toBe(50);
  });

  it('when strings carry SQL metacharacters, emoji and slashes, then they are stored and read back verbatim', async () => {
    const customerId = `'; drop table carts; -- 😀/%2F\\`;
    const productId = `x' or '1'='1 🛒 a/b %`;
    await service.addItem({
      customerId,
      item: { ...pen, productId, productName: `Robert'); DROP TABLE cart_items;--` },
    });
    const cart = await carts.find(customerId);
    expect(cart!.lines).toEqual([
      expect.objectContaining({ productId, productName: `Robert'); DROP TABLE cart_items;--` }),
    ]);
    await expect(carts.find(`'; drop table carts; -- %`)).resolves.toBeUndefined();
  });

  it('when the mutation refuses, then nothing is written: no cart, no line, no version bump', async () => {
    await expect(service.removeItem({ customerId: 'ghost', productId: 'p' })).rejects.toBeInstanceOf(ItemNotFoundError);
    await expect(carts.find('ghost')).resolves.toBeUndefined();

    await service.addItem({ customerId: 'stale', item: pen });
    await expect(service.clearCart({ customerId: 'stale', expectedVersion: 7 })).rejects.toBeInstanceOf(
      VersionMismatchError,
    );
    await expect(carts.find('stale')).resolves.toMatchObject({
      version: 1,
      lines: [expect.objectContaining({ quantity: 1 })],
    });
  });

  it('when lines are updated, removed and cleared, then each change lands and bumps the version', async () => {
    await service.addItem({ customerId: 'edit', item: pen });
    await service.addItem({ customerId: 'edit', item: { ...pen, productId: 'ink' } });
    await service.updateQuantity({ customerId: 'edit', productId: 'pen', quantity: 7, expectedVersion: 2 });
    await service.removeItem({ customerId: 'edit', productId: 'ink' });
    expect(await carts.find('edit')).toMatchObject({
      version: 4,
      lines: [expect.objectContaining({ productId: 'pen', quantity: 7 })],
    });
    await service.updateQuantity({ customerId: 'edit', productId: 'pen', quantity: 0 });
    await service.addItem({ customerId: 'edit', item: pen });
    const { cart: cleared } = await service.clearCart({ customerId: 'edit' });
    expect(cleared).toMatchObject({ version: 7, lines: [] });
    expect(await carts.find('edit')).toMatchObject({ version: 7, lines: [] });
  });

  it('when an absent cart is cleared, then no cart row is created', async () => {
    const { cart } = await service.clearCart({ customerId: 'never' });
    expect(cart).toMatchObject({ version: 0, lines: [], createdAt: null });
    await expect(sql(`select 1 from carts where customer_id = 'never'`)).resolves.toEqual([]);
  });

  it('when the database cannot be reached, then reads and writes fail as unavailable', async () => {
    const closedPort = await findFreePort();
    const unreachable = await MikroORM.init(
      createOrmConfig({ url: `postgres://postgres@127.0.0.1:${closedPort}/none` }),
    );
    const offline = new PostgresCartRepository(unreachable, testOutbox);
    try {
      await expect(offline.find('c')).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(offline.update('c', () => undefined)).rejects.toBeInstanceOf(ServiceUnavailableError);
    } finally {
      await unreachable.close(true);
    }
  });
});
