import pg from 'pg';
import { addBody, LINES_PER_CART, SEEDED_CARTS, seededCustomer, seededProduct } from './catalog.mjs';

const CONCURRENCY = 32;

/** Fills carts bench-0…bench-1999 with five lines each, through the API, so the scenarios read realistic carts. */
export async function seedCarts(baseUrl) {
  const total = SEEDED_CARTS * LINES_PER_CART;
  const started = performance.now();
  let next = 0;
  let done = 0;
  const show = progressLine(`seeding ${SEEDED_CARTS} carts through the API`, total);
  const progress = setInterval(() => show(done), 250);
  const worker = async () => {
    while (next < total) {
      const job = next++;
      const cart = Math.floor(job / LINES_PER_CART);
      const line = job % LINES_PER_CART;
      const response = await fetch(`${baseUrl}/api/v1/cart/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: addBody(seededCustomer(cart), seededProduct(cart, line), 1 + (cart % 3)),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`seeding failed: HTTP ${response.status} ${text.slice(0, 300)}`);
      done += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    clearInterval(progress);
    show(done, true);
  }
  const seconds = (performance.now() - started) / 1000;
  return { carts: SEEDED_CARTS, lines: total, seconds, addsPerSecond: total / seconds };
}

/** A progress line redrawn in place on a terminal; in a log, one line per quarter. */
function progressLine(title, total) {
  let quarter = -1;
  return (done, last = false) => {
    const text = `${title}: ${done}/${total} adds`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${text}${last ? '\n' : ''}`);
    } else if (Math.floor((4 * done) / total) > quarter || (last && done < total)) {
      quarter = Math.floor((4 * done) / total);
      process.stderr.write(`${text}\n`);
    }
  };
}

/** Checkouts a second, per thread, the carts for one checkout run must last at: far above what either server reaches here. */
const CHECKOUTS_PER_THREAD_SECOND = 1_500;

/**
 * Fills the carts one checkout run will order, co-<run>-<thread>-<n>, two
 * lines each, in two statements straight into the database: arranging state,
 * not measuring, so it need not go through the API. Runs before the run's
 * CPU readings start.
 */
export async function fillCheckoutCarts(databaseUrl, run, threads, seconds, withDiscountCode = false) {
  const perThread = CHECKOUTS_PER_THREAD_SECOND * seconds;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if (withDiscountCode) {
      await client.query(
        `insert into discount_codes (code, type, value) values ('BENCH10', 'percentage', 10) on conflict (code) do nothing`,
      );
    }
    await client.query(
      `with cart as (
         insert into carts (customer_id, version, discount_codes)
         select 'co-' || $1::text || '-' || t || '-' || n, 1, $4::jsonb
           from generate_series(1, $2::int) t, generate_series(1, $3::int) n
         returning id)
       insert into cart_items (cart_id, product_id, product_name, price, quantity)
       select cart.id, 'prod-' || k, 'Bench product ' || k, (k % 20) + 1.99, 1 + k % 3
         from cart, generate_series(0, 1) j, lateral (select (cart.id + j * 25) % 50 as k) p`,
      [run, threads, perThread, JSON.stringify(withDiscountCode ? [{ code: 'BENCH10', type: 'percentage' }] : [])],
    );
  } finally {
    await client.end();
  }
}
