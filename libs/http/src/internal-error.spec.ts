import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../test/test-server';

describe('an unexpected failure', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    // A real fault no request can cause: the table the repository reads is gone.
    await queryDatabase(server.database.url, 'drop table cart_items');
  });
  afterAll(() => server.close());

  it('when the database fails in a way no client caused, then 500 INTERNAL_ERROR with no detail, logged with the request id', async () => {
    const response = await server.request('GET', '/api/v1/cart/c-1', { headers: { 'X-Request-Id': 'trace-500' } });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      success: false,
      error: 'Something went wrong on our side',
      code: 'INTERNAL_ERROR',
      request_id: 'trace-500',
    });
    expect(response.text).not.toMatch(/cart_items|select|relation/i);
    const logged = server.logs.find((entry) => entry.level === 'error');
    expect(logged?.fields).toMatchObject({
      request_id: 'trace-500',
      err: expect.objectContaining({ message: expect.stringContaining('cart_items') }),
    });
  });
});
