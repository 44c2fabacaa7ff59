import {
  InvalidTransitionError,
  OrderAlreadyPaidError,
  PaymentAmountMismatchError,
  PaymentCurrencyMismatchError,
} from './errors';
import {
  allowedTransitions,
  decidePayment,
  mayPerform,
  nextState,
  OrderAction,
  ORDER_STATES,
  ORDER_TRANSITIONS,
} from './order-lifecycle';

const ACTIONS: OrderAction[] = ['pay', 'cancel', 'fulfil', 'deliver', 'refund', 'expire'];
const ALLOWED: Record<string, string> = {
  'pending pay': 'paid',
  'pending cancel': 'cancelled',
  'pending expire': 'expired',
  'paid fulfil': 'fulfilled',
  'paid refund': 'refunded',
  'fulfilled deliver': 'delivered',
};

describe('the order state machine', () => {
  it.each(ORDER_STATES.flatMap((state) => ACTIONS.map((action) => [state, action] as const)))(
    'from %s, %s is allowed exactly when the contract says so',
    (state, action) => {
      const expected = ALLOWED[`${state} ${action}`];
      if (expected) expect(nextState(state, action)).toBe(expected);
      else expect(() => nextState(state, action)).toThrow(InvalidTransitionError);
    },
  );

  it('a refused move says where the order can go from here', () => {
    expect(() => nextState('paid', 'cancel')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION', status: 'paid', allowed: ['fulfilled', 'refunded'] }),
    );
  });

  it.each([
    ['pending', ['paid', 'cancelled']],
    ['paid', ['fulfilled', 'refunded']],
    ['fulfilled', ['delivered']],
    ['delivered', []],
    ['cancelled', []],
    ['expired', []],
    ['refunded', []],
  ] as const)('from %s an endpoint reaches %p (expiry is the cleanup command, not an endpoint)', (state, expected) => {
    expect(allowedTransitions(state)).toEqual(expected);
  });

  it('only operators fulfil, deliver and refund; customers only cancel; the provider only pays; only the service expires', () => {
    expect(ACTIONS.filter((action) => mayPerform(action, 'customer'))).toEqual(['cancel']);
    expect(ACTIONS.filter((action) => mayPerform(action, 'payment_provider'))).toEqual(['pay']);
    expect(ACTIONS.filter((action) => mayPerform(action, 'operator'))).toEqual([
      'pay',
      'cancel',
      'fulfil',
      'deliver',
      'refund',
    ]);
    expect(ACTIONS.filter((action) => mayPerform(action, 'system'))).toEqual(['expire']);
    expect(ORDER_TRANSITIONS).toHaveLength(7);
  });
});

describe('decidePayment', () => {
  const pending = { status: 'pending' as const, totalAmount: 259_998, currency: 'USD', paymentId: null };

  it('when a pending order is paid its exact total, then it moves', () => {
    expect(decidePayment(pending, 'pay-1', 259_998)).toBe('pay');
  });

  it('when the same payment_id comes again, then it is a replay, whatever the state and amount', () => {
    for (const status of ['paid', 'fulfilled', 'refunded'] as const) {
      expect(decidePayment({ ...pending, status, paymentId: 'pay-1' }, 'pay-1', 1, 'EUR')).toBe('replay');
    }
  });

  it('when another payment_id comes for an order once paid, then ORDER_ALREADY_PAID', () => {
    expect(() => decidePayment({ ...pending, status: 'refunded', paymentId: 'pay-1' }, 'pay-2', 259_998)).toThrow(
      OrderAlreadyPaidError,
    );
  });

  it('when the order is cancelled or expired, then INVALID_TRANSITION', () => {
    for (const status of ['cancelled', 'expired'] as const) {
      expect(() => decidePayment({ ...pending, status }, 'pay-1', 259_998)).toThrow(InvalidTransitionError);
    }
  });

  it('when the amount differs from the total by a cent, then PAYMENT_AMOUNT_MISMATCH', () => {
    expect(() => decidePayment(pending, 'pay-1', 259_997)).toThrow(PaymentAmountMismatchError);
  });

  it("when the payment names a currency other than the order's, then PAYMENT_CURRENCY_MISMATCH; the order's own, or none, pays", () => {
    expect(() => decidePayment(pending, 'pay-1', 259_998, 'EUR')).toThrow(PaymentCurrencyMismatchError);
    expect(decidePayment(pending, 'pay-1', 259_998, 'USD')).toBe('pay');
    expect(decidePayment(pending, 'pay-1', 259_998)).toBe('pay');
  });
});
