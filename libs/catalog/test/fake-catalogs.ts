import http from 'node:http';
import { AddressInfo } from 'node:net';

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
