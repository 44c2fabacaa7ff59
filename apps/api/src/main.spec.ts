import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, waitForHealth } from '../test/api-process';
import { findFreePort } from '@carthub/persistence/testing';

describe('the API process', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'carthub-main-'));
    await chmod(workDir, 0o755); // the embedded server's postgres user must reach its data folder
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  it('when started with no database configured, then it runs an embedded PostgreSQL whose data survives a restart', async () => {
    const env = { EMBEDDED_PG_DIR: join(workDir, 'pgdata'), EMBEDDED_PG_PORT: String(await findFreePort()) };

    const first = await startApi(env);
    expect(await waitForHealth(first.url)).toMatchObject({ status: 'healthy', database: 'connected' });
    const added = await fetch(`${first.url}/api/v1/cart/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: 'keeper', product_id: 'p', product_name: 'P', price: 3, quantity: 1 }),
    });
    expect(added.status).toBe(200);
    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(0);

    const second = await startApi(env);
    await waitForHealth(second.url);
    const cart = await (await fetch(`${second.url}/api/v1/cart/keeper`)).json();
    expect(cart).toMatchObject({ total_items: 1, version: 1 });
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
  });

  it('when a setting is invalid, then it refuses to start and names the variable', async () => {
    const started = await startApi({ PORT: 'eighty' });
    const { code, stderr } = await started.exit;
    expect(code).toBe(2);
    expect(stderr).toContain('PORT must be a number');
  });

  it('when CART_MAX_ITEMS allows an order event larger than the broker takes, then it refuses to start and says why', async () => {
    const started = await startApi({ CART_MAX_ITEMS: '700', CART_MAX_QUANTITY_PER_ITEM: '10' });
    const { code, stderr } = await started.exit;
    expect(code).toBe(2);
    expect(stderr).toMatch(/CART_MAX_ITEMS \(700\) allows an order event of \d+ bytes, more than EVENT_MAX_BYTES/);
  });
});
