import { sql } from 'kysely';
import { DiscountUsage } from '@carthub/domain';
import { Db } from '../connection/sql-plumbing';
import { selectStates } from './discount-sql';

/*
 * One use of a code by one customer, counted in one statement, or nothing:
 * the code's row is updated only while it is active, inside its dates, under
 * its usage limit and this customer's uses are under theirs, and the
 * customer's counter moves with it. Concurrent checkouts queue on the code's
 * row lock, and each re-checks the limit on the row as the one before it
 * committed, so no limit is ever passed. The customer's count is read in the
 * same statement; one customer's checkouts are already queued on their cart's
 * row lock (the order's transaction holds it), so that count is current.
 */
const CLAIM = (code: string, customerId: string) => sql<{ code: string }>`
  with customer as (
    select coalesce((select times_used from discount_code_customer_uses
                      where code = ${code} and customer_id = ${customerId} for update), 0) as used
  ),
  claimed as (
    update discount_codes d set times_used = d.times_used + 1
      from customer
     where d.code = ${code} and d.active
       and (d.starts_at is null or d.starts_at <= now()) and (d.ends_at is null or d.ends_at > now())
       and (d.usage_limit is null or d.times_used < d.usage_limit)
       and (d.usage_limit_per_customer is null or customer.used < d.usage_limit_per_customer)
    returning d.code
  ),
  counted as (
    insert into discount_code_customer_uses as u (code, customer_id, times_used)
    select code, ${customerId}, 1 from claimed
    on conflict (code, customer_id) do update set times_used = u.times_used + 1
  )
  select code from claimed`;

/** A checkout's codes, read and counted in the order's transaction (`db` is bound to it). */
export function discountUsageIn(db: Db, customerId: string): DiscountUsage {
  return {
    states: (codes) => selectStates(db, codes, customerId),
    async claim(code) {
      const { rows } = await CLAIM(code, customerId).execute(db);
      return rows.length > 0;
    },
  };
}

/**
 * Gives back the uses of the orders' applied codes (code and customer
 * counters), in the transaction that moved them to cancelled or expired: that
 * move happens once per order, under its row lock, so the uses come back once.
 */
export async function giveBackDiscountUses(db: Db, orderRowIds: readonly number[]): Promise<void> {
  if (orderRowIds.length === 0) return;
  await sql`
    with used as (
      select o.customer_id, c->>'code' as code
        from orders o, jsonb_array_elements(o.discount_codes) c
       where o.id = any(${[...orderRowIds]}::int[])
    ),
    per_code as (
      update discount_codes d set times_used = greatest(d.times_used - n.uses, 0)
        from (select code, count(*)::int as uses from used group by code) n
       where d.code = n.code
    )
    update discount_code_customer_uses u set times_used = greatest(u.times_used - n.uses, 0)
      from (select code, customer_id, count(*)::int as uses from used group by code, customer_id) n
     where u.code = n.code and u.customer_id = n.customer_id`.execute(db);
}
