import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { findFreePort } from '@carthub/persistence/testing';

export interface StoredMessage {
  readonly subject: string;
  /** Its Nats-Msg-Id header. */
  readonly msgId: string;
  readonly envelope: { id: string; aggregate_type: string; aggregate_id: string; sequence: number; type: string };
}

export interface TestStream {
  /** RELAY_STREAM and RELAY_SUBJECT_PREFIX for a relay that publishes to this stream only. */
  readonly env: { RELAY_STREAM: string; RELAY_SUBJECT_PREFIX: string };
  /** Every message the stream holds, in stream order. */
  messages(): Promise<StoredMessage[]>;
  /** Creates the stream with the relay's subjects if absent, and sets the largest message it stores. */
  limitMessageSize(bytes: number): Promise<void>;
  remove(): Promise<void>;
}

/** A stream and subject prefix of this test's own, so no test touches the real CARTHUB stream. */
export function testStream(natsUrl: string): TestStream {
  const suffix = randomBytes(5).toString('hex');
  const stream = `CARTHUB_TEST_${suffix}`;
  const subjectPrefix = `carthub_test_${suffix}`;
  const withConnection = async <T>(work: (connection: Awaited<ReturnType<typeof connect>>) => Promise<T>) => {
    const connection = await connect({ servers: natsUrl });
    try {
      return await work(connection);
    } finally {
      await connection.close();
    }
  };
  return {
    env: { RELAY_STREAM: stream, RELAY_SUBJECT_PREFIX: subjectPrefix },
    messages: () =>
      withConnection(async (connection) => {
        const manager = await jetstreamManager(connection);
        const { first_seq: first, last_seq: last } = (await manager.streams.info(stream)).state;
        const stored: StoredMessage[] = [];
        // By stream sequence, one at a time: the ground truth of what the stream holds, in its order.
        for (let seq = first; seq <= last && last > 0; seq++) {
          const message = await manager.streams.getMessage(stream, { seq });
          if (!message) continue;
          stored.push({
            subject: message.subject,
            msgId: message.header.get('Nats-Msg-Id'),
            envelope: message.json(),
          });
        }
        return stored;
      }),
    limitMessageSize: (bytes) =>
      withConnection(async (connection) => {
        const manager = await jetstreamManager(connection);
        try {
          await manager.streams.update(stream, { max_msg_size: bytes });
        } catch (error) {
          if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
          await manager.streams.add({ name: stream, subjects: [`${subjectPrefix}.>`], max_msg_size: bytes });
        }
      }),
    remove: () =>
      withConnection(async (connection) => {
        const manager = await jetstreamManager(connection);
        await manager.streams.delete(stream).catch(() => undefined);
      }),
  };
}

/** A NATS server of the test's own (JetStream on, its store in a temporary folder), to stop and start at will. */
export interface OwnNatsServer {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its store. */
  destroy(): Promise<void>;
}

export async function startOwnNatsServer(): Promise<OwnNatsServer> {
  const port = await findFreePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'carthub-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: 'ignore',
    });
    for (let attempt = 0; attempt < 100; attempt++) {
      const connection = await connect({ servers: url, timeout: 500 }).catch(() => undefined);
      if (connection) {
        await connection.close();
        return;
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`nats-server on ${url} did not start`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise((done) => {
      running.once('exit', done);
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    url,
    stop,
    start,
    destroy: async () => {
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
