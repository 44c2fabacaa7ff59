import {
  centsFromNumeric,
  centsToDecimalText,
  MAX_ORDER_SUBTOTAL_CENTS,
  MAX_ORDER_TOTAL_CENTS,
  MAX_SHIPPING_CENTS,
} from '@carthub/domain';
import { createTestDatabase, queryDatabase, TestDatabase } from '../../testing';

describe('the order money columns', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('when an order holds the largest amounts the limits allow, then every column stores them exactly', async () => {
    const [stored] = await queryDatabase<Record<'subtotal' | 'tax' | 'shipping' | 'total_amount', string>>(
      database.url,
      `insert into orders (customer_id, subtotal, tax, shipping, total_amount, status_history)
       values ('largest', $1, $1, $2, $3, '[]')
       returning subtotal::text, tax::text, shipping::text, total_amount::text`,
      [
        centsToDecimalText(MAX_ORDER_SUBTOTAL_CENTS),
        centsToDecimalText(MAX_SHIPPING_CENTS),
        centsToDecimalText(MAX_ORDER_TOTAL_CENTS),
      ],
    );
    expect(centsFromNumeric(stored.total_amount)).toBe(MAX_ORDER_TOTAL_CENTS);
    expect(centsFromNumeric(stored.subtotal) + centsFromNumeric(stored.tax) + centsFromNumeric(stored.shipping)).toBe(
      MAX_ORDER_TOTAL_CENTS,
    );
  });
});
