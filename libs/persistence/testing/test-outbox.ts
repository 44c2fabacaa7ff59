import { OutboxWriter } from '../src/outbox/outbox-writer';

/** An outbox that stores each event as the domain made it: persistence tests check rows, not JSON names. */
export const testOutbox = new OutboxWriter((event) => ({ ...event }));
