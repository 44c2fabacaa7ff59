import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

describe('discount codes: the operator endpoints', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const create = (body: object) => server.request('POST', '/api/v1/discount-codes', { body });
  const codeCount = async () =>
    (await queryDatabase<{ n: number }>(server.database.url, 'select count(*)::int as n from discount_codes'))[0].n;
  const events = (aggregate: string) =>
    queryDatabase<{ type: string; sequence: number; envelope: { data: { discount_code: object } } }>(
      server.database.url,
      `select type, sequence, envelope from outbox_events where aggregate_type = 'discount_code' and aggregate_id = $1 order by position`,
      [aggregate],
    );

  it('when an operator creates a code, then 201 with every field, its Location, upper case, and discount_code.created', async () => {
    const response = await create({
      code: 'summer10',
      type: 'percentage',
      value: 12.5,
      min_subtotal: '20.00',
      product_ids: ['p1', 'p2'],
      starts_at: '2026-01-01T00:00:00Z',
      ends_at: '2099-01-01T00:00:00Z',
      usage_limit: 100,
      usage_limit_per_customer: 1,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/discount-codes/SUMMER10');
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.body).toEqual({
      code: 'SUMMER10',
      type: 'percentage',
      value: 12.5,
      min_subtotal: 20,
      product_ids: ['p1', 'p2'],
      starts_at: '2026-01-01T00:00:00.000Z',
      ends_at: '2099-01-01T00:00:00.000Z',
      usage_limit: 100,
      usage_limit_per_customer: 1,
      active: true,
      times_used: 0,
      version: 1,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect((await server.request('GET', '/api/v1/discount-codes/Summer10')).body).toEqual(response.body);
    expect(await events('SUMMER10')).toEqual([
      {
        type: 'discount_code.created',
        sequence: 1,
        envelope: expect.objectContaining({ data: { discount_code: response.body } }),
      },
    ]);
  });

  it('when the code exists in any letter case, then 409 DISCOUNT_CODE_EXISTS and nothing changes', async () => {
    await create({ code: 'TWICE', type: 'free_shipping' });
    const before = await codeCount();
    const again = await create({ code: 'twice', type: 'fixed', value: 5 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DISCOUNT_CODE_EXISTS');
    expect(await codeCount()).toBe(before);
  });

  it.each([
    ['code', { code: 'has space', type: 'free_shipping' }],
    ['code', { code: 'x'.repeat(41), type: 'free_shipping' }],
    ['code', { code: '', type: 'free_shipping' }],
    ['code', { code: 12, type: 'free_shipping' }],
    ['code', { type: 'free_shipping' }],
    ['type', { code: 'A1', type: 'bogus' }],
    ['type', { code: 'A1' }],
    ['value', { code: 'A1', type: 'percentage' }],
    ['value', { code: 'A1', type: 'percentage', value: 0 }],
    ['value', { code: 'A1', type: 'percentage', value: 100.01 }],
    ['value', { code: 'A1', type: 'percentage', value: 10.005 }],
    ['value', { code: 'A1', type: 'percentage', value: '10' }],
    ['value', { code: 'A1', type: 'fixed' }],
    ['value', { code: 'A1', type: 'fixed', value: -1 }],
    ['value', { code: 'A1', type: 'fixed', value: 1.001 }],
    ['value', { code: 'A1', type: 'free_shipping', value: 5 }],
    ['min_subtotal', { code: 'A1', type: 'free_shipping', min_subtotal: 0 }],
    ['min_subtotal', { code: 'A1', type: 'free_shipping', min_subtotal: 'ten' }],
    ['product_ids', { code: 'A1', type: 'free_shipping', product_ids: [] }],
    ['product_ids', { code: 'A1', type: 'free_shipping', product_ids: ['a', 'a'] }],
    ['product_ids', { code: 'A1', type: 'free_shipping', product_ids: 'a' }],
    ['product_ids', { code: 'A1', type: 'free_shipping', product_ids: Array.from({ length: 101 }, (_, i) => `p${i}`) }],
    ['starts_at', { code: 'A1', type: 'free_shipping', starts_at: 'tomorrow' }],
    ['ends_at', { code: 'A1', type: 'free_shipping', ends_at: 12 }],
    [
      'ends_at',
      { code: 'A1', type: 'free_shipping', starts_at: '2030-01-02T00:00:00Z', ends_at: '2030-01-01T00:00:00Z' },
    ],
    ['usage_limit', { code: 'A1', type: 'free_shipping', usage_limit: 0 }],
    ['usage_limit', { code: 'A1', type: 'free_shipping', usage_limit: 1.5 }],
    ['usage_limit_per_customer', { code: 'A1', type: 'free_shipping', usage_limit_per_customer: '1' }],
    ['active', { code: 'A1', type: 'free_shipping', active: 'yes' }],
    ['extra', { code: 'A1', type: 'free_shipping', extra: 1 }],
  ])('when %s is invalid (%j), then 422 VALIDATION_FAILED naming it, and nothing is stored', async (field, body) => {
    const before = await codeCount();
    const response = await create(body);
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(new RegExp(`^${field}`)) })]),
    );
    expect(await codeCount()).toBe(before);
  });

  it('when an operator patches a code, then version +1, discount_code.updated, If-Match honoured, a limit under times_used allowed', async () => {
    await create({ code: 'PATCHME', type: 'fixed', value: 5, ends_at: '2099-01-01T00:00:00Z' });
    const patched = await server.request('PATCH', '/api/v1/discount-codes/patchme', {
      body: { active: false, ends_at: null, usage_limit: 1, usage_limit_per_customer: null },
      headers: { 'If-Match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ active: false, ends_at: null, usage_limit: 1, version: 2 });
    const stale = await server.request('PATCH', '/api/v1/discount-codes/PATCHME', {
      body: { active: true },
      headers: { 'If-Match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect((await events('PATCHME')).map((e) => [e.type, e.sequence])).toEqual([
      ['discount_code.created', 1],
      ['discount_code.updated', 2],
    ]);
    for (const body of [{}, { value: 3 }, { active: 1 }, { usage_limit: 0 }, { ends_at: 'soon' }]) {
      const refused = await server.request('PATCH', '/api/v1/discount-codes/PATCHME', { body });
      expect(refused.status).toBe(422);
      expect(refused.body.details.length).toBeGreaterThan(0);
    }
    expect((await server.request('GET', '/api/v1/discount-codes/PATCHME')).body.version).toBe(2);
  });

  it('when an ends_at would come before starts_at, then 422 naming ends_at and nothing changes', async () => {
    await create({ code: 'WINDOW', type: 'free_shipping', starts_at: '2030-01-01T00:00:00Z' });
    const response = await server.request('PATCH', '/api/v1/discount-codes/WINDOW', {
      body: { ends_at: '2029-01-01T00:00:00Z' },
    });
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'ends_at' })]);
    expect((await server.request('GET', '/api/v1/discount-codes/WINDOW')).body.version).toBe(1);
  });

  it('when the code does not exist, then GET and PATCH are 404 DISCOUNT_CODE_NOT_FOUND; a malformed one is 422', async () => {
    const missing = await server.request('GET', '/api/v1/discount-codes/NOPE');
    expect([missing.status, missing.body.code]).toEqual([404, 'DISCOUNT_CODE_NOT_FOUND']);
    const patch = await server.request('PATCH', '/api/v1/discount-codes/NOPE', { body: { active: false } });
    expect([patch.status, patch.body.code]).toEqual([404, 'DISCOUNT_CODE_NOT_FOUND']);
    expect((await server.request('GET', '/api/v1/discount-codes/no%20pe')).status).toBe(422);
  });
});
