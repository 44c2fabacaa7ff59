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
