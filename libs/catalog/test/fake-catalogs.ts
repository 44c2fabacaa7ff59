import http from 'node:http';
import { AddressInfo } from 'node:net';
import { CatalogBreakerState, CatalogObserver, CatalogRequestOutcome } from '../src/http-catalog';

/** Records what the catalog client reports, for tests to read. */
export class RecordingObserver implements CatalogObserver {
  readonly requests: CatalogRequestOutcome[] = [];
  readonly states: CatalogBreakerState[] = [];
  readonly unusable: { productId: string; problem: string }[] = [];
  hits = 0;
  misses = 0;
  request(outcome: CatalogRequestOutcome) {
    this.requests.push(outcome);
  }
  cacheHit() {
    this.hits += 1;
  }
  cacheMiss() {
    this.misses += 1;
  }
  breakerState(state: CatalogBreakerState) {
    this.states.push(state);
  }
  unusableProduct(productId: string, problem: string) {
    this.unusable.push({ productId, problem });
  }
}

export interface FakeCatalog {
  readonly url: string;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/** A catalog that answers every request with `respond`: the failure shapes the reference server does not have. */
export async function startFakeCatalog(respond: (response: http.ServerResponse) => void): Promise<FakeCatalog> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests += 1;
    request.resume().once('end', () => respond(response));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () => close(server),
  };
}

/** Answers `status` with `body` as it is, whatever was asked. */
export const answer =
  (status: number, body: string) =>
  (response: http.ServerResponse): void => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  };

/** Never answers: the client's timeout must end the call. */
export const hang = (): void => undefined;

/** Sends every request on to `location`; a 307 keeps the POST and its body, so a client that followed would ask there. */
export const redirectTo =
  (location: string) =>
  (response: http.ServerResponse): void => {
    response.writeHead(307, { location }).end();
  };

export type StreamEnd = 'finished' | 'closed early';

/**
 * A valid answer made huge: `padding` bytes of whitespace (sent in chunks, as
 * fast as the client reads them) before `products`. `ended` tells whether the
 * whole body went out or the client closed the connection before it did.
 */
export function paddedAnswer(padding: number, products: readonly object[]) {
  let settle: (end: StreamEnd) => void = () => undefined;
  const ended = new Promise<StreamEnd>((resolve) => (settle = resolve));
  const chunk = Buffer.alloc(64 * 1024, ' ');
  const respond = (response: http.ServerResponse): void => {
    response.once('finish', () => settle('finished'));
    response.once('close', () => settle('closed early'));
    response.writeHead(200, { 'content-type': 'application/json' }).write('{"products": [');
    let left = padding;
    const pump = (): void => {
      while (left > 0 && !response.destroyed) {
        const size = Math.min(left, chunk.length);
        left -= size;
        if (!response.write(chunk.subarray(0, size))) return void response.once('drain', pump);
      }
      if (!response.destroyed) response.end(`${products.map((product) => JSON.stringify(product)).join(',')}]}`);
    };
    pump();
  };
  return { respond, ended };
}

/** A URL where nothing listens: a port that was free a moment ago. */
export async function refusingUrl(): Promise<string> {
  const server = http.createServer();
  const port = await listen(server);
  await close(server);
  return `http://127.0.0.1:${port}`;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject).listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
