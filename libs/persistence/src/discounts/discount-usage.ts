import { sql } from 'kysely';
import { DiscountCodesUsedUpError } from '@carthub/domain';
import type { CheckoutStep } from '../orders/order-store';
import { Db } from '../connection/sql-plumbing';

/*
 * One use of each code the order applied, counted in one statement in the
 * order's transaction, after its write: a code's row is updated only while it
 * is active, inside its dates, under its usage limit and this customer's uses
 * are under theirs, and the customer's counter moves with it. Concurrent
 * checkouts queue on the code's row lock, and each re-checks the limit on the
 * row as the one before it committed, so no limit is ever passed. One
 * customer's checkouts already queue on their cart's row lock (the order's
 * transaction holds it), so the customer's count it reads is current (a
 * cancel giving a use back only lowers it). The codes are the order's own, as
 * just written beside it.
 */
const COUNT_USES = {
  name: 'carthub_count_discount_uses',
  text: `with applied as (
    select c->>'code' as code from orders o, jsonb_array_elements(o.discount_codes) c where o.id = $1
  ),
  claimed as (
    update discount_codes d set times_used = d.times_used + 1
      from applied a
      left join discount_code_customer_uses u on u.code = a.code and u.customer_id = $2
     where d.code = a.code and d.active
       and (d.starts_at is null or d.starts_at <= now()) and (d.ends_at is null or d.ends_at > now())
       and (d.usage_limit is null or d.times_used < d.usage_limit)
       and (d.usage_limit_per_customer is null or coalesce(u.times_used, 0) < d.usage_limit_per_customer)
    returning d.code
  ),
  counted as (
    insert into discount_code_customer_uses as u (code, customer_id, times_used)
    select code, $2, 1 from claimed
    on conflict (code, customer_id) do update set times_used = u.times_used + 1
  )
  select a.code from applied a where a.code not in (select code from claimed)`,
};

/**
 * The checkout step counting the order's codes: a code used up (or no longer
 * usable) by now throws DiscountCodesUsedUpError, which rolls back the order
 * with the uses already counted; checkout then places it without that code.
 * An order without codes sends nothing.
 */
export const countDiscountUses: CheckoutStep = async ({ order, orderRowId, client }) => {
  if (order.discountCodes.length === 0) return;
  const { rows } = await client.query<{ code: string }>({ ...COUNT_USES, values: [orderRowId, order.customerId] });
  if (rows.length > 0) throw new DiscountCodesUsedUpError(rows.map((row) => row.code));
};

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
