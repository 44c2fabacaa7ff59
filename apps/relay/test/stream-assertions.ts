import { StoredMessage } from './nats';

/**
 * The stream holds each event exactly once (by id and by Nats-Msg-Id), on its
 * type's subject, and every aggregate's events in sequence order with no gap.
 * Answers each aggregate's last sequence, by `<aggregate type>:<id>`.
 */
export function expectStreamToHoldExactly(
  messages: StoredMessage[],
  events: readonly { id: string }[],
  prefix: string,
): Map<string, number> {
  const ids = messages.map((message) => message.envelope.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(events.map((event) => event.id).sort());
  for (const message of messages) {
    expect(message.msgId).toBe(message.envelope.id);
    expect(message.subject).toBe(`${prefix}.${message.envelope.type}`);
  }
  const sequences = new Map<string, number[]>();
  for (const { envelope } of messages) {
    const aggregate = `${envelope.aggregate_type}:${envelope.aggregate_id}`;
    sequences.set(aggregate, [...(sequences.get(aggregate) ?? []), envelope.sequence]);
  }
  const last = new Map<string, number>();
  for (const [aggregate, seen] of sequences) {
    expect({ aggregate, seen }).toEqual({ aggregate, seen: seen.map((_, index) => index + 1) });
    last.set(aggregate, seen.length);
  }
  return last;
}
