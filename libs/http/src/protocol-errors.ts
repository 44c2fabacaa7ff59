import { randomUUID } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, STATUS_CODES } from 'node:http';
import { Duplex } from 'node:stream';
import { securityHeadersFor } from './middleware/security-headers';

interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

// What node's HTTP parser reports, by error code; anything else it cannot parse is a plain 400.
const PARSER_REFUSALS: Record<string, Refusal> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request took too long to arrive' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The chunk extensions are too large',
  },
};
const MALFORMED: Refusal = { status: 400, code: 'BAD_REQUEST', message: 'The request is not valid HTTP/1.1' };
const EXPECTATION: Refusal = {
  status: 417,
  code: 'EXPECTATION_FAILED',
  message: 'Only "Expect: 100-continue" is supported',
};

/**
 * Answers what node refuses before Koa ever sees a request (malformed or
 * smuggling-shaped requests, oversized headers, slow clients, an unknown
 * Expect) with the contract's JSON error, a request id and the security
 * headers, where node would write a bare status line; the connection is
 * then closed, since the rest of what the client sends cannot be trusted.
 */
export function answerProtocolErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const response = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (socket.writable && !response?.headersSent && error.code !== 'ECONNRESET') {
      const refusal = PARSER_REFUSALS[error.code ?? ''] ?? MALFORMED;
      const { headers, body } = errorResponse(refusal);
      const lines = Object.entries({ ...headers, Connection: 'close' }).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${lines.join('')}\r\n${body}`);
    }
    socket.destroy();
  });
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const { headers, body } = errorResponse(EXPECTATION);
    response.shouldKeepAlive = false;
    response.writeHead(EXPECTATION.status, headers).end(body);
    request.resume();
  });
}

function errorResponse(refusal: Refusal) {
  const requestId = randomUUID();
  const body = JSON.stringify({ success: false, error: refusal.message, code: refusal.code, request_id: requestId });
  return {
    body,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      'X-Request-Id': requestId,
      ...securityHeadersFor('/'),
    },
  };
}
