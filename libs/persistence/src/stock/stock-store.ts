import { MikroORM } from '@mikro-orm/postgresql';
import {
  Availability,
  StockBelowReservedError,
  StockRecord,
  StockReservedError,
  ServiceUnavailableError,
  StockStore,
  TrackedStock,
  UntrackedStock,
  VersionMismatchError,
} from '@carthub/domain';
import { translateDatabaseError } from '../connection/database-errors';
import { Db, discard, inTransaction, keep, pooled } from '../connection/sql-plumbing';
import { OutboxWriter } from '../outbox/outbox-writer';
import { query, STOCK_COLUMNS, stockOutboxEvent, StockRow, toTrackedStock } from './stock-statements';

/** A row as its change left it, and the stock.changed reason to write. */
type Outcome = { readonly changed: TrackedStock } | { readonly unchanged: TrackedStock | undefined };
type Change = { readonly row: StockRow; readonly reason: 'set' | 'adjusted' | 'untracked' };

/*
 * Each operator change is one conditional statement: it changes the row only
 * when the result keeps reserved <= on_hand (and the If-Match version holds),
 * so concurrent changes and reservations never lose one another. Only when it
 * changed nothing is the row read, to say why.
 */
const versionGuard = (parameter: number) => `($${parameter}::int is null or stock.version = $${parameter})`;

/** A stocktake of a tracked row; with no If-Match also creates or re-tracks it (its version goes on). */
const SET = `insert into stock as stock (product_id, tracked, on_hand, reserved, version) select $1, true, $2, 0, 1
   where $3::int is null
  on conflict (product_id) do update set tracked = true, on_hand = $2, version = stock.version + 1, updated_at = now()
   where stock.reserved <= $2
  returning ${STOCK_COLUMNS}`;
const SET_IF_MATCH = `update stock set on_hand = $2, version = version + 1, updated_at = now()
   where product_id = $1 and tracked and reserved <= $2 and ${versionGuard(3)}
  returning ${STOCK_COLUMNS}`;
/** Goods received or written off: relative, so concurrent adjustments add up. */
const ADJUST = `update stock set on_hand = on_hand + $2, version = version + 1, updated_at = now()
   where product_id = $1 and tracked and on_hand + $2 >= reserved and ${versionGuard(3)}
  returning ${STOCK_COLUMNS}`;
/** Goods received for a product with no record (or an untracked one): it starts at 0. */
const RECEIVE_UNTRACKED = `insert into stock as stock (product_id, tracked, on_hand, reserved, version) values ($1, true, $2, 0, 1)
  on conflict (product_id) do update set tracked = true, on_hand = $2, version = stock.version + 1, updated_at = now()
   where not stock.tracked
  returning ${STOCK_COLUMNS}`;
const UNTRACK = `update stock set tracked = false, on_hand = 0, version = version + 1, updated_at = now()
   where product_id = $1 and tracked and reserved = 0 and ${versionGuard(2)}
  returning ${STOCK_COLUMNS}`;
const READ = `select ${STOCK_COLUMNS} from stock where product_id = $1 and tracked`;

/** Bounds the rare retry of a change whose reason to fail was gone by the time it was read. */
const ROUNDS = 5;

/** The operator's stock endpoints in PostgreSQL; each change with its stock.changed event, in one transaction. */
export class PostgresStockStore implements StockStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
  ) {}

  async find(productId: string): Promise<StockRecord> {
    const [row] = await query<StockRow>(pooled(this.orm), READ, [productId]).catch(translateDatabaseError);
    return row ? toTrackedStock(row) : untracked(productId);
  }

  async set(productId: string, onHand: number, expectedVersion?: number): Promise<TrackedStock> {
    const statement = expectedVersion === undefined ? SET : SET_IF_MATCH;
    const stock = await this.change(
      productId,
      expectedVersion,
      async (db) => {
        const [row] = await query<StockRow>(db, statement, [productId, onHand, expectedVersion ?? null]);
        return row && { row, reason: 'set' };
      },
      (stock) => (stock && stock.reserved > onHand ? new StockBelowReservedError(stock) : undefined),
    );
    return stock as TrackedStock; // `why` never answers NOTHING_TO_DO here
  }

  async adjust(productId: string, delta: number, expectedVersion?: number): Promise<TrackedStock> {
    const stock = await this.change(
      productId,
      expectedVersion,
      async (db) => {
        const [row] = await query<StockRow>(db, ADJUST, [productId, delta, expectedVersion ?? null]);
        if (row) return { row, reason: 'adjusted' };
        if (delta < 0 || expectedVersion !== undefined) return undefined;
        const [received] = await query<StockRow>(db, RECEIVE_UNTRACKED, [productId, delta]);
        return received && { row: received, reason: 'adjusted' };
      },
      // An absent record counts as 0 on hand, 0 reserved.
      (stock) =>
        (stock?.onHand ?? 0) + delta < (stock?.reserved ?? 0)
          ? new StockBelowReservedError(stock ?? untracked(productId))
          : undefined,
    );
    return stock as TrackedStock; // `why` never answers NOTHING_TO_DO here
  }

  async untrack(productId: string, expectedVersion?: number): Promise<UntrackedStock> {
    await this.change(
      productId,
      expectedVersion,
      async (db) => {
        const [row] = await query<StockRow>(db, UNTRACK, [productId, expectedVersion ?? null]);
        return row && { row, reason: 'untracked' };
      },
      // Untracked already: nothing to do.
      (stock) => (!stock ? NOTHING_TO_DO : stock.reserved > 0 ? new StockReservedError(stock) : undefined),
    );
    return untracked(productId);
  }

  async availability(productIds: readonly string[]): Promise<Availability[]> {
    const rows = await query<{ product_id: string; available: number }>(
      pooled(this.orm),
      `select product_id, on_hand::float8 - reserved::float8 as available from stock where product_id = any($1) and tracked`,
      [[...new Set(productIds)]],
    ).catch(translateDatabaseError);
    const available = new Map(rows.map((row) => [row.product_id, row.available]));
    return productIds.map((productId) => {
      const left = available.get(productId);
      return { productId, tracked: left !== undefined, available: left ?? null };
    });
  }

  /**
   * Runs one conditional change with its event in one transaction; when it
   * changed nothing, reads the row (a new snapshot) to answer why: 412 for a
   * stale If-Match, else what `why` finds (nothing found: the reason was gone
   * by the time it was read, so try again).
   */
  private async change(
    productId: string,
    expectedVersion: number | undefined,
    attempt: (db: Db) => Promise<Change | undefined>,
    why: (stock: TrackedStock | undefined) => Error | typeof NOTHING_TO_DO | undefined,
  ): Promise<TrackedStock | undefined> {
    for (let round = 0; round < ROUNDS; round++) {
      const outcome = await inTransaction<Outcome>(this.orm, async (db) => {
        const changed = await attempt(db);
        if (!changed) {
          const [row] = await query<StockRow>(db, READ, [productId]);
          return discard({ unchanged: row ? toTrackedStock(row) : undefined });
        }
        await this.outbox.write(db, [stockOutboxEvent(changed.row, changed.reason)]);
        return keep({ changed: toTrackedStock(changed.row) });
      }).catch(translateDatabaseError);
      if ('changed' in outcome) return outcome.changed;
      const stock = outcome.unchanged;
      if (expectedVersion !== undefined && expectedVersion !== (stock?.version ?? 0)) {
        throw new VersionMismatchError(expectedVersion, stock?.version ?? 0, 'stock');
      }
      const refusal = why(stock);
      if (refusal === NOTHING_TO_DO) return undefined;
      if (refusal) throw refusal;
    }
    throw new ServiceUnavailableError(new Error(`the stock of ${productId} changed under every attempt`));
  }
}

const NOTHING_TO_DO = Symbol('nothing to change');

const untracked = (productId: string): UntrackedStock => ({ productId, tracked: false });
