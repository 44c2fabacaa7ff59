import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import {
  centsToDecimalText,
  DiscountCode,
  DiscountCodeExistsError,
  DiscountCodeNotFoundError,
  DiscountCodePatch,
  DiscountCodeState,
  DiscountCodeStore,
  DiscountCodeTerms,
  InvalidDiscountCodeError,
  VersionMismatchError,
} from '@carthub/domain';
import { translateDatabaseError } from '../connection/database-errors';
import { Db, discard, inTransaction, keep, pooled } from '../connection/sql-plumbing';
import { OutboxWriter } from '../outbox/outbox-writer';
import {
  DISCOUNT_CODE_COLUMNS,
  DiscountCodeRow,
  discountCodeOutboxEvent,
  selectStates,
  toDiscountCode,
} from './discount-sql';

const WINDOW_CHECK = 'discount_codes_window_check';

/** The operator's codes in PostgreSQL; each change and its event in one transaction. */
export class PostgresDiscountCodeStore implements DiscountCodeStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(terms: DiscountCodeTerms): Promise<DiscountCode> {
    return inTransaction(this.orm, async (db) => {
      const { rows } = await sql<DiscountCodeRow>`
        insert into discount_codes (code, type, value, min_subtotal, product_ids, starts_at, ends_at,
                                    usage_limit, usage_limit_per_customer, active)
        values (${terms.code}, ${terms.type}, ${decimal(terms.value)}::numeric, ${decimal(terms.minSubtotal)}::numeric,
                ${terms.productIds === null ? null : JSON.stringify(terms.productIds)}::jsonb,
                ${terms.startsAt?.toISOString() ?? null}::timestamptz, ${terms.endsAt?.toISOString() ?? null}::timestamptz,
                ${terms.usageLimit}::int, ${terms.usageLimitPerCustomer}::int, ${terms.active})
        on conflict (code) do nothing
        returning ${sql.raw(DISCOUNT_CODE_COLUMNS())}`.execute(db);
      if (rows.length === 0) return discard(undefined);
      const created = toDiscountCode(rows[0]);
      await this.outbox.write(db, [discountCodeOutboxEvent('discount_code.created', created)]);
      return keep(created);
    })
      .catch(translateDatabaseError)
      .then((created) => {
        if (!created) throw new DiscountCodeExistsError(terms.code);
        return created;
      });
  }

  async find(code: string): Promise<DiscountCode | undefined> {
    const row = await selectCode(pooled(this.orm), code).catch(translateDatabaseError);
    return row && toDiscountCode(row);
  }

  async update(code: string, patch: DiscountCodePatch, expectedVersion?: number): Promise<DiscountCode> {
    return inTransaction(this.orm, async (db) => {
      const sets = [
        patch.active === undefined ? undefined : sql`active = ${patch.active}`,
        patch.endsAt === undefined ? undefined : sql`ends_at = ${patch.endsAt?.toISOString() ?? null}::timestamptz`,
        patch.usageLimit === undefined ? undefined : sql`usage_limit = ${patch.usageLimit}::int`,
        patch.usageLimitPerCustomer === undefined
          ? undefined
          : sql`usage_limit_per_customer = ${patch.usageLimitPerCustomer}::int`,
      ].filter((set) => set !== undefined);
      const { rows } = await sql<DiscountCodeRow>`
        update discount_codes
           set ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`])}
         where code = ${code} and (${expectedVersion ?? null}::int is null or version = ${expectedVersion ?? null}::int)
        returning ${sql.raw(DISCOUNT_CODE_COLUMNS())}`.execute(db);
      if (rows.length === 0) {
        const stored = await selectCode(db, code);
        if (!stored) throw new DiscountCodeNotFoundError(code);
        throw new VersionMismatchError(expectedVersion ?? 0, stored.version, 'discount code');
      }
      const updated = toDiscountCode(rows[0]);
      await this.outbox.write(db, [discountCodeOutboxEvent('discount_code.updated', updated)]);
      return keep(updated);
    }).catch((error: unknown) => {
      if (violatesCheck(error, WINDOW_CHECK))
        throw new InvalidDiscountCodeError('ends_at', 'must come after starts_at');
      return translateDatabaseError(error);
    });
  }

  states(codes: readonly string[], customerId: string): Promise<ReadonlyMap<string, DiscountCodeState>> {
    return selectStates(pooled(this.orm), codes, customerId).catch(translateDatabaseError);
  }
}

const decimal = (cents: number | null) => (cents === null ? null : centsToDecimalText(cents));

async function selectCode(db: Db, code: string): Promise<DiscountCodeRow | undefined> {
  const { rows } = await sql<DiscountCodeRow>`
    select ${sql.raw(DISCOUNT_CODE_COLUMNS())} from discount_codes where code = ${code}`.execute(db);
  return rows[0];
}

function violatesCheck(error: unknown, constraint: string, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const pg = error as { code?: unknown; constraint?: unknown; cause?: unknown };
  if (pg.code === '23514' && pg.constraint === constraint) return true;
  return violatesCheck(pg.cause, constraint, depth + 1);
}
