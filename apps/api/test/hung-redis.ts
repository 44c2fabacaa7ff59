import { AddressInfo, createServer, Server, Socket } from 'node:net';

/**
 * A Redis that is alive but never answers a command: it completes ioredis's
 * handshake (HELLO, CLIENT SETINFO, the INFO ready check), so the client is
 * "ready", then swallows everything else, as a stopped or partitioned Redis
 * behind a live TCP connection would.
 */
export interface HungRedis {
  readonly url: string;
  /** Commands received and never answered. */
  readonly swallowed: string[];
  close(): Promise<void>;
}

const HANDSHAKE: Record<string, string> = {
  hello: '%1\r\n+proto\r\n:3\r\n',
  client: '+OK\r\n',
  info: bulk('redis_version:7.2.0\r\nloading:0\r\n'),
};

export async function startHungRedis(): Promise<HungRedis> {
  const swallowed: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk) => {
      for (const name of commandNames(chunk.toString('latin1'))) {
        const reply = HANDSHAKE[name];
        if (reply) socket.write(reply);
        else swallowed.push(name);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    swallowed,
    async close() {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function bulk(text: string): string {
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
}

/** The first word of each RESP command array in a chunk (enough for a client's small commands). */
function commandNames(chunk: string): string[] {
  const lines = chunk.split('\r\n');
  const names: string[] = [];
  for (let line = 0; line < lines.length && lines[line]!.startsWith('*');) {
    const words = Number(lines[line]!.slice(1));
    names.push((lines[line + 2] ?? '').toLowerCase());
    line += 1 + 2 * words;
  }
  return names;
}
