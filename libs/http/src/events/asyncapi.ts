import parse from 'joi-to-json';
import { EVENT_TYPES } from '@carthub/domain';
import { API_VERSION, SERVICE_NAME } from '../system/routes';
import { envelopeSchema, EVENT_DEFINITIONS } from './definitions';

/** The subject an event type is published on. */
export const subjectOf = (type: string) => `carthub.${type}`;

/** The AsyncAPI 3 document of every event, built from the definitions that validate them. */
export function asyncApiDocument() {
  const channels: Record<string, object> = {};
  const operations: Record<string, object> = {};
  const messages: Record<string, object> = {};
  for (const type of EVENT_TYPES) {
    const name = type.replace('.', '_');
    messages[name] = {
      name: type,
      title: type,
      summary: EVENT_DEFINITIONS[type].summary,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: { 'Nats-Msg-Id': { type: 'string', description: 'the event id: JetStream drops duplicates' } },
      },
      payload: parse(envelopeSchema(type), 'json-draft-2019-09'),
    };
    channels[name] = { address: subjectOf(type), messages: { [name]: { $ref: `#/components/messages/${name}` } } };
    operations[`publish_${name}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${name}` },
      summary: `Published by the outbox relay, at least once, in sequence order per aggregate`,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: `${SERVICE_NAME} events`,
      version: API_VERSION,
      description:
        'Every change to a cart or an order, written in the same transaction as the change (a transactional outbox) ' +
        'and published to NATS JetStream, stream CARTHUB. Consumers deduplicate on id; sequence has no gaps per aggregate.',
    },
    defaultContentType: 'application/json',
    servers: { jetstream: { host: 'nats:4222', protocol: 'nats', description: 'stream CARTHUB, subjects carthub.>' } },
    channels,
    operations,
    components: { messages },
  };
}
