import { JetStreamApiError } from '@nats-io/jetstream';
import { InvalidArgumentError } from '@nats-io/transport-node';

/** JetStream's "message size exceeds maximum allowed": the event is larger than the stream's max_msg_size. */
const STREAM_MESSAGE_TOO_LARGE = 10_054;

/** The broker will never take this event as it is: publishing it again only holds up the others. */
export class EventRefused extends Error {
  override readonly name = 'EventRefused';
}

/**
 * The refusal in `error` when it is about the event itself (its size, against
 * the server's max_payload or the stream's max_msg_size); undefined for
 * anything that may pass (a lost connection, a timeout, a stream-wide limit),
 * which is retried rather than parked.
 */
export function refusalOf(error: unknown, payloadBytes: number): EventRefused | undefined {
  if (error instanceof InvalidArgumentError && error.message.includes('max_payload')) {
    return new EventRefused(`the NATS server refused its ${payloadBytes} bytes: ${error.message}`, { cause: error });
  }
  if (error instanceof JetStreamApiError && error.code === STREAM_MESSAGE_TOO_LARGE) {
    return new EventRefused(`the stream refused its ${payloadBytes} bytes: ${error.message}`, { cause: error });
  }
  return undefined;
}
