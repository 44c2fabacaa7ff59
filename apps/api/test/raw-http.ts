import { connect, Socket } from 'node:net';
import { assertConforms } from '@carthub/http/testing';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw TCP connection to the server, to send what fetch never would and see exactly what comes back. */
export class RawConnection {
  private readonly socket: Socket;
  private received = '';
  /** The start of what was sent: its request line says which operation the answer is checked against. */
  private sent = '';
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(
    socket: Socket,
    private readonly origin: string,
  ) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (this.received += chunk));
    // Writes after the server hung up fail with EPIPE or ECONNRESET; the close is what the tests look at.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        resolve();
      }),
    );
  }

  /** `localAddress` (e.g. 127.0.0.2, any of 127.0.0.0/8) makes this connection a different client address. */
  static async open(url: string, localAddress?: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    const socket = connect({ port: Number(port), host: hostname, localAddress });
    const connection = new RawConnection(socket, new URL(url).origin);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return connection;
  }

  /** Writes, waiting while the server is not reading; resolves false once the connection is closed. */
  async write(data: string): Promise<boolean> {
    if (this.isClosed) return false;
    if (this.sent.length < 8192) this.sent += data.slice(0, 8192);
    if (this.socket.write(data)) return true;
    await Promise.race([new Promise((resolve) => this.socket.once('drain', resolve)), this.closed]);
    return !this.isClosed;
  }

  /** Whether any bytes have come back yet. */
  get hasAnswer(): boolean {
    return this.received !== '';
  }

  /**
   * Sends a request and reads its answer (framed by Content-Length), leaving the connection open;
   * undefined when the server closes the connection without a whole answer.
   */
  async exchange(request: string): Promise<RawResponse | undefined> {
    this.received = '';
    await this.write(request);
    for (;;) {
      const response = this.received.includes('\r\n\r\n') ? parse(this.received) : undefined;
      if (response && response.body.length >= Number(response.headers['content-length'] ?? 0)) return response;
      if (this.isClosed) return undefined;
      await Promise.race([new Promise((resolve) => this.socket.once('data', resolve)), this.closed]);
    }
  }

  /** Everything the server sent before it closed the connection, read as one response (checked against /openapi.json). */
  async responseOnClose(): Promise<RawResponse> {
    await this.closed;
    const response = parse(this.received);
    const [, method = '', url = ''] = /^(\S+) (\S+) HTTP\/1\.\d\r\n/.exec(this.sent) ?? [];
    await assertConforms(this.origin, {
      method,
      url,
      status: response.status,
      headers: { get: (name) => response.headers[name.toLowerCase()] ?? null },
      body: response.body,
    });
    return response;
  }

  close(): void {
    this.socket.destroy();
  }
}

function parse(text: string): RawResponse {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}
