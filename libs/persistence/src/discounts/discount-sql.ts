import { sql } from 'kysely';
import { centsFromNumeric, DiscountCode, DiscountCodeState, DiscountType } from '@carthub/domain';
import { NewEvent } from '../outbox/outbox-writer';
import { Db, epochMsText } from '../connection/sql-plumbing';

/** A code as its row reads, timestamps as epoch milliseconds and amounts as text (never through a float). */
export interface DiscountCodeRow {
  code: string;
  type: DiscountType;
  value: string | null;
  min_subtotal: string | null;
  product_ids: string[] | null;
  starts_ms: number | null;
  ends_ms: number | null;
  usage_limit: number | null;
  usage_limit_per_customer: number | null;
  active: boolean;
  times_used: number;
  version: number;
  created_ms: number;
  updated_ms: number;
}

/** The columns of a DiscountCodeRow, from `d` (a table or an update's returning clause). */
export const DISCOUNT_CODE_COLUMNS = (d = 'discount_codes') => `${d}.code, ${d}.type, ${d}.value::text as value,
  ${d}.min_subtotal::text as min_subtotal, ${d}.product_ids, ${epochMsText(`${d}.starts_at`)} as starts_ms,
  ${epochMsText(`${d}.ends_at`)} as ends_ms, ${d}.usage_limit, ${d}.usage_limit_per_customer, ${d}.active,
  ${d}.times_used, ${d}.version, ${epochMsText(`${d}.created_at`)} as created_ms, ${epochMsText(`${d}.updated_at`)} as updated_ms`;

const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));
const centsOrNull = (text: string | null) => (text === null ? null : centsFromNumeric(text));

/** A percentage's "12.50" reads as 1,250 basis points, exactly as an amount's reads as cents. */
export function toDiscountCode(row: DiscountCodeRow): DiscountCode {
  return {
    code: row.code,
    type: row.type,
    value: centsOrNull(row.value),
    minSubtotal: centsOrNull(row.min_subtotal),
    productIds: row.product_ids,
    startsAt: dateOrNull(row.starts_ms),
    endsAt: dateOrNull(row.ends_ms),
    usageLimit: row.usage_limit,
    usageLimitPerCustomer: row.usage_limit_per_customer,
    active: row.active,
    timesUsed: row.times_used,
    version: row.version,
    createdAt: new Date(row.created_ms),
    updatedAt: new Date(row.updated_ms),
  };
}

/** The codes as one customer sees them, with that customer's uses, in one statement. */
export async function selectStates(
  db: Db,
  codes: readonly string[],
  customerId: string,
): Promise<Map<string, DiscountCodeState>> {
  if (codes.length === 0) return new Map();
  const { rows } = await sql<DiscountCodeRow & { used_by_customer: number }>`
    select ${sql.raw(DISCOUNT_CODE_COLUMNS('d'))}, coalesce(u.times_used, 0) as used_by_customer
      from discount_codes d
      left join discount_code_customer_uses u on u.code = d.code and u.customer_id = ${customerId}
     where d.code = any(${[...codes]}::text[])`.execute(db);
  return new Map(rows.map((row) => [row.code, { code: toDiscountCode(row), usedByCustomer: row.used_by_customer }]));
}

/** An operator's change as the outbox numbers it: by the code's version, at its updated_at. */
export function discountCodeOutboxEvent(
  type: 'discount_code.created' | 'discount_code.updated',
  discountCode: DiscountCode,
): NewEvent {
  return {
    aggregateType: 'discount_code',
    aggregateId: discountCode.code,
    sequence: discountCode.version,
    occurredAt: discountCode.updatedAt,
    change: { type, discountCode },
  };
}
