import pg from 'pg';

/** Every add the server acknowledged with 200, per (customer, product). */
export class AckTally {
  counts = new Map();
  adds = 0;

  record(customerId, productId) {
    const key = `${customerId}\t${productId}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.adds += 1;
  }
}

const BATCH = 10_000;

/**
 * An acknowledged add must be durable: each (customer, product) acknowledged
 * n times must be a cart line with quantity >= n. Nothing else touches the
 * add_item customers, so the quantity can only be higher if more adds landed
 * unacknowledged (a timeout), never lower.
 */
export async function verifyAcknowledgedAdds(databaseUrl, tally) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const entries = [...tally.counts];
  let presentAdds = 0;
  let presentPairs = 0;
  const missing = [];
  try {
    for (let start = 0; start < entries.length; start += BATCH) {
      const batch = entries.slice(start, start + BATCH).map(([key, count]) => [...key.split('\t'), count]);
      const { rows } = await client.query(
        `select k.customer_id, k.product_id, k.acknowledged, coalesce(i.quantity, 0) as quantity
           from unnest($1::text[], $2::text[], $3::int[]) as k(customer_id, product_id, acknowledged)
           left join carts c on c.customer_id = k.customer_id
           left join cart_items i on i.cart_id = c.id and i.product_id = k.product_id`,
        [batch.map((row) => row[0]), batch.map((row) => row[1]), batch.map((row) => row[2])],
      );
      for (const row of rows) {
        presentAdds += Math.min(row.acknowledged, row.quantity);
        if (row.quantity >= row.acknowledged) presentPairs += 1;
        else if (missing.length < 10) missing.push(row);
      }
    }
  } finally {
    await client.end();
  }
  return { acknowledgedAdds: tally.adds, presentAdds, pairs: entries.length, presentPairs, missing };
}
