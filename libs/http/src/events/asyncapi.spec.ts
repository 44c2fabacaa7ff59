import Ajv2019 from 'ajv/dist/2019';
import { CartLine, DomainEvent, EVENT_TYPES, EventType, OrderSnapshot } from '@carthub/domain';
import { startTestServer, TestServer } from '../../test/test-server';
import { envelopeSchema } from './definitions';
import { serializeEvent } from './serialize';

const line: CartLine = { productId: 'pen', productName: 'Pen', unitPrice: 150, quantity: 2 };
const order: OrderSnapshot = {
  orderId: '3f0e8a9c-1b2d-4c3e-8f4a-5b6c7d8e9f01',
  customerId: 'c-1',
  status: 'pending',
  lines: [{ ...line, discount: 30 }],
  subtotal: 300,
  discount: 30,
  discountCodes: [{ code: 'TEN', type: 'percentage', amount: 30 }],
  tax: 0,
  shipping: 0,
  totalAmount: 270,
  currency: 'USD',
  totalItems: 2,
  paymentMethod: 'paypal',
  shippingAddress: { street: 's', city: 'c', state: 'WA', zip: 'z', country: 'US' },
  email: 'shopper@example.com',
  version: 3,
  statusHistory: [
    { status: 'pending', at: new Date('2026-12-01T10:00:00Z'), reason: null },
    { status: 'paid', at: new Date('2026-12-01T10:01:00Z'), reason: null },
    { status: 'fulfilled', at: new Date('2026-12-01T10:02:00Z'), reason: null },
  ],
  paymentId: 'pay-1',
  trackingNumber: null,
  createdAt: new Date('2026-12-01T10:00:00Z'),
  updatedAt: new Date('2026-12-01T10:00:00Z'),
};

/** One event of every type, as the domain produces them. */
function sampleOf(type: EventType): DomainEvent {
  const base = { id: '6c3c5e1a-9d2b-4f6e-8a7b-1c2d3e4f5a6b', sequence: 3, occurredAt: new Date() };
  if (type.startsWith('discount_code.')) {
    const discountCode = {
      code: 'TEN',
      type: 'percentage' as const,
      value: 1_000,
      minSubtotal: null,
      productIds: ['pen'],
      startsAt: null,
      endsAt: new Date('2027-01-01T00:00:00Z'),
      usageLimit: 100,
      usageLimitPerCustomer: null,
      active: true,
      timesUsed: 4,
      version: 3,
      createdAt: new Date('2026-12-01T10:00:00Z'),
      updatedAt: new Date('2026-12-01T10:00:00Z'),
    };
    return {
      ...base,
      aggregateType: 'discount_code',
      aggregateId: 'TEN',
      change: { type, discountCode },
    } as DomainEvent;
  }
  if (type.startsWith('order.')) {
    const change = type === 'order.reassigned' ? { type, order, previousCustomerId: 'guest_x' } : { type, order };
    return { ...base, aggregateType: 'order', aggregateId: order.orderId, change } as DomainEvent;
  }
  if (type === 'stock.changed') {
    const change = { type, productId: 'pen', onHand: 5, reserved: 2, available: 3, reason: 'reserved' as const };
    return { ...base, aggregateType: 'stock', aggregateId: 'pen', change: { ...change, orderId: order.orderId } };
  }
  const changes = {
    'cart.item_added': { type: 'cart.item_added', productId: 'pen', line },
    'cart.item_updated': { type: 'cart.item_updated', productId: 'pen', line },
    'cart.item_removed': { type: 'cart.item_removed', productId: 'pen', line: null },
    'cart.cleared': { type: 'cart.cleared', reason: 'merged', remaining: [line] },
    'cart.merged': { type: 'cart.merged', sourceCustomerId: 'guest_x', strategy: 'sum' },
    'cart.expired': { type: 'cart.expired' },
    'cart.discount_code_added': { type: 'cart.discount_code_added', code: 'TEN' },
    'cart.discount_code_removed': { type: 'cart.discount_code_removed', code: 'TEN' },
  } as const;
  return { ...base, aggregateType: 'cart', aggregateId: 'c-1', change: changes[type as keyof typeof changes] };
}

describe('the AsyncAPI document', () => {
  let server: TestServer;
  let document: {
    asyncapi: string;
    channels: Record<string, { address: string }>;
    components: { messages: Record<string, { payload: object }> };
  };

  beforeAll(async () => {
    server = await startTestServer();
    document = (await server.request('GET', '/asyncapi.json')).body;
  });
  afterAll(() => server.close());

  it('is AsyncAPI 3 and documents every event type on its own subject', () => {
    expect(document.asyncapi).toBe('3.0.0');
    const addresses = Object.values(document.channels).map((channel) => channel.address);
    expect(addresses.sort()).toEqual(EVENT_TYPES.map((type) => `carthub.${type}`).sort());
    expect(Object.keys(document.components.messages)).toHaveLength(EVENT_TYPES.length);
  });

  it.each(EVENT_TYPES)(
    'a %s event as published is valid against its definition and its published JSON Schema',
    (type) => {
      const envelope = serializeEvent(sampleOf(type));

      expect(envelopeSchema(type).validate(envelope).error).toBeUndefined();
      const payload = document.components.messages[type.replace('.', '_')].payload;
      const validate = new Ajv2019({ strict: false, validateFormats: false }).compile(payload);
      expect([validate(JSON.parse(JSON.stringify(envelope))), validate.errors ?? null]).toEqual([true, null]);
    },
  );

  it("an envelope with sequence 0, or in another type's shape, is refused", () => {
    const envelope = { ...serializeEvent(sampleOf('cart.item_added')), sequence: 0 };
    expect(envelopeSchema('cart.item_added').validate(envelope).error).toBeDefined();
    expect(
      envelopeSchema('cart.item_removed').validate(serializeEvent(sampleOf('cart.item_added'))).error,
    ).toBeDefined();
  });
});
