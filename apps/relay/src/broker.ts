import { connect } from '@nats-io/transport-node';
import { JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager, JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Logger } from 'pino';
import { PendingEvent } from '@carthub/persistence';
import { refusalOf } from './refusal';

export interface BrokerOptions {
  readonly servers: string[];
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly publishTimeoutMs: number;
}

/** NATS JetStream as the relay uses it: one stream, one subject per event type, deduplicated by event id. */
export class Broker {
  private connection?: NatsConnection;
  private client?: JetStreamClient;
  private up = false;

  constructor(
    private readonly options: BrokerOptions,
    private readonly logger: Logger,
  ) {}

  get open(): boolean {
    return this.connection !== undefined && !this.connection.isClosed();
  }

  /** Whether the client is connected now (it reconnects by itself after a disconnect). */
  get connected(): boolean {
    return this.up;
  }

  /** Connects once; throws when no server answers, so the caller decides when to try again. */
  async connect(): Promise<void> {
    const connection = await connect({
      servers: this.options.servers,
      name: 'carthub-relay',
      // A first connection that hangs must not hold up shutdown: fail it and let the caller retry.
      timeout: this.options.publishTimeoutMs,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
    });
    this.connection = connection;
    this.client = jetstream(connection, { timeout: this.options.publishTimeoutMs });
    this.up = true;
    this.logger.info({ server: connection.getServer() }, 'connected to NATS');
    void this.watch(connection);
  }

  /** Creates the stream when absent; an existing one only gains the relay's subjects if it lacks them. */
  async ensureStream(): Promise<void> {
    const manager = await jetstreamManager(this.requireConnection());
    const subjects = `${this.options.subjectPrefix}.>`;
    try {
      const { config } = await manager.streams.info(this.options.stream);
      if (!config.subjects?.includes(subjects)) {
        await manager.streams.update(this.options.stream, { subjects: [...(config.subjects ?? []), subjects] });
        this.logger.warn({ stream: this.options.stream, subjects }, 'added the relay subjects to the stream');
      }
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
      await manager.streams.add({ name: this.options.stream, subjects: [subjects] });
      this.logger.info({ stream: this.options.stream, subjects }, 'created the stream');
    }
  }

  /**
   * Resolves once JetStream has stored the event (or recognised it as a duplicate of a stored one);
   * rejects with EventRefused when the broker will never take it.
   */
  async publish(event: PendingEvent): Promise<void> {
    if (!this.client) throw new Error('not connected to NATS');
    try {
      await this.client.publish(`${this.options.subjectPrefix}.${event.type}`, event.payload, {
        msgID: event.id,
        timeout: this.options.publishTimeoutMs,
      });
    } catch (error) {
      throw refusalOf(error, Buffer.byteLength(event.payload)) ?? error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.client = undefined;
    this.up = false;
    if (connection && !connection.isClosed()) await connection.drain().catch(() => connection.close());
  }

  private requireConnection(): NatsConnection {
    if (!this.connection) throw new Error('not connected to NATS');
    return this.connection;
  }

  private async watch(connection: NatsConnection): Promise<void> {
    void connection.closed().then(() => {
      if (this.connection === connection) this.up = false;
    });
    for await (const status of connection.status()) {
      if (this.connection !== connection) return;
      if (status.type === 'disconnect') {
        this.up = false;
        this.logger.warn({ server: status.server }, 'disconnected from NATS; reconnecting');
      } else if (status.type === 'reconnect') {
        this.up = true;
        this.logger.info({ server: status.server }, 'reconnected to NATS');
      }
    }
  }
}
