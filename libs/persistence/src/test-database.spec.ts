import { createTestDatabase, queryDatabase } from '../testing';

describe('createTestDatabase', () => {
  it('when two test databases are made, then each is migrated, named as a test database, and isolated from the other', async () => {
    const [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      expect(new URL(first.url).pathname).toMatch(/^\/carthub_test_[0-9a-f]{12}$/);
      await queryDatabase(first.url, `insert into carts (customer_id) values ('only-in-first')`);
      await expect(queryDatabase(second.url, 'select customer_id from carts')).resolves.toEqual([]);
      await expect(queryDatabase(first.url, 'select customer_id from carts')).resolves.toEqual([
        { customer_id: 'only-in-first' },
      ]);
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
  });

  it('when dropped, then the database is gone', async () => {
    const database = await createTestDatabase();
    await database.drop();
    await expect(queryDatabase(database.url, 'select 1')).rejects.toThrow(/does not exist/);
  });
});
