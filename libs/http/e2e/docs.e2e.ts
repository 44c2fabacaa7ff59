import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { startTestServer, TestServer } from '../test/test-server';

const SCREENSHOT = join(__dirname, '../../../tmp/e2e/docs.png');

/** /docs in a real headless Chromium (Debian's package), as a frontend developer would open it. */
describe('the API docs page in a browser', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      // The flags keep Chromium from reaching out to the network, which this machine does not have.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server.close();
  });

  it('when /docs is opened, then Swagger UI renders every cart and order operation without a blocked resource', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('requestfailed', (request) => problems.push(`${request.url()} ${request.failure()?.errorText}`));
    page.on(
      'response',
      (response) => response.status() >= 400 && problems.push(`${response.url()} ${response.status()}`),
    );

    await page.goto(`${server.baseUrl}/docs`);
    await page.getByText('/api/v1/cart/checkout').first().waitFor({ timeout: 15_000 });

    for (const path of [
      '/api/v1/cart/{customer_id}',
      '/api/v1/cart/items',
      '/api/v1/cart/{customer_id}/items/{product_id}',
      '/api/v1/orders/{order_id}',
    ]) {
      expect(await page.getByText(path, { exact: true }).count()).toBeGreaterThan(0);
    }
    await expect(page.title()).resolves.toContain('Shopping Cart Backend');

    await page.getByText('/api/v1/cart/checkout').first().click();
    await page.getByText('Idempotency-Key').first().waitFor();
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(problems).toEqual([]);
  });
});
