import pg from 'pg';

/**
 * Per (customer, product): how many adds wrk sent and how many the server
 * answered 200, summed over every run (warm-ups too, since they write as well),
 * grouped by scenario.
 */
export class AckTally {
  groups = new Map();

  add(scenario, rows) {
    if (!this.groups.has(scenario)) this.groups.set(scenario, new Map());
    const counts = this.groups.get(scenario);
    for (const { key, sent, acked } of rows) {
      const entry = counts.get(key) ?? { sent: 0, acked: 0 };
      entry.sent += sent;
      entry.acked += acked;
      counts.set(key, entry);
    }
  }

  get empty() {
    return this.groups.size === 0;
  }
}

const BATCH = 10_000;

/**
 * Exact, per (customer, product): acknowledged ≤ stored ≤ sent. Nothing else
 * touches these customers and every add is of quantity 1, so a stored quantity
 * below the acknowledged count is a lost add, and one above what was sent is
 * an add from nowhere; between the two are only adds that were in flight, sent
 * but never answered, when a run stopped.
 */
export async function verifyAcknowledgedAdds(databaseUrl, tally) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const results = {};
  try {
    for (const [scenario, counts] of tally.groups) {
      const result = {
        pairs: 0,
        sent: 0,
        acknowledged: 0,
        stored: 0,
        exactPairs: 0,
        lost: 0,
        beyondSent: 0,
        examples: [],
      };
      const entries = [...counts];
      for (let start = 0; start < entries.length; start += BATCH) {
        const batch = entries.slice(start, start + BATCH);
        const { rows } = await client.query(
          `select k.customer_id, k.product_id, k.sent, k.acknowledged, coalesce(i.quantity, 0) as stored
             from unnest($1::text[], $2::text[], $3::int[], $4::int[]) as k(customer_id, product_id, sent, acknowledged)
             left join carts c on c.customer_id = k.customer_id
             left join cart_items i on i.cart_id = c.id and i.product_id = k.product_id`,
          [
            batch.map(([key]) => key.slice(0, key.indexOf(':'))),
            batch.map(([key]) => key.slice(key.indexOf(':') + 1)),
            batch.map(([, c]) => c.sent),
            batch.map(([, c]) => c.acked),
          ],
        );
        for (const row of rows) {
          result.pairs += 1;
          result.sent += row.sent;
          result.acknowledged += row.acknowledged;
          result.stored += row.stored;
          if (row.stored === row.acknowledged) result.exactPairs += 1;
          const lost = Math.max(0, row.acknowledged - row.stored);
          const beyond = Math.max(0, row.stored - row.sent);
          result.lost += lost;
          result.beyondSent += beyond;
          if ((lost > 0 || beyond > 0) && result.examples.length < 10) result.examples.push(row);
        }
      }
      result.inFlightStored = result.stored - result.acknowledged + result.lost;
      result.pass = result.lost === 0 && result.beyondSent === 0;
      results[scenario] = result;
    }
  } finally {
    await client.end();
  }
  return results;
}
