import { CartLine, centsFromNumeric } from '@carthub/domain';

/** A cart or order line as its table holds it. */
export interface LineRow {
  product_id: string;
  product_name: string;
  price: string;
  quantity: number;
}

export function toLine(row: LineRow): CartLine {
  return {
    productId: row.product_id,
    productName: row.product_name,
    unitPrice: centsFromNumeric(row.price),
    quantity: row.quantity,
  };
}

/** A line column of an outer join: null when the cart has no lines. */
export type NullableLineRow = { [column in keyof LineRow]: LineRow[column] | null };

/** The lines of a cart read through an outer join: its one row of nulls means no lines. */
export function linesOf(rows: readonly NullableLineRow[]): CartLine[] {
  return rows.flatMap(({ product_id, product_name, price, quantity }) =>
    product_id === null || product_name === null || price === null || quantity === null
      ? []
      : [toLine({ product_id, product_name, price, quantity })],
  );
}
