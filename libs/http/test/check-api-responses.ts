import { get } from 'node:http';
import { SERVICE_NAME } from '../src/system/routes';
import { Exchange, OpenApiConformance, OpenApiDocument } from './openapi-conformance';

/**
 * Every answer a test receives from this API is checked against the API's own
 * /openapi.json (Jest setup: see jest.preset.cjs). A server is recognised by
 * what every answer of this API carries, X-Request-Id, and then by serving
 * this service's OpenAPI document; each server is checked against the document
 * it serves itself, so a catalog-mode server against the catalog-mode one.
 * Other servers (a fake catalog, a metrics listener) are left alone.
 */
const unchecked = globalThis.fetch;
const servers = new Map<string, Promise<OpenApiConformance | undefined | null>>();

export class OpenApiViolation extends Error {
  constructor(exchange: Pick<Exchange, 'method' | 'url' | 'status'>, problems: readonly string[]) {
    super(
      `The answer to ${exchange.method} ${exchange.url} (${exchange.status}) breaks /openapi.json:\n  ` +
        problems.join('\n  '),
    );
  }
}

/** The conformance checker of the API at `origin`, or undefined when it is not this API. */
export function conformanceOf(origin: string): Promise<OpenApiConformance | undefined> {
  let server = servers.get(origin);
  if (!server) {
    server = loadDocument(origin);
    servers.set(origin, server);
    // No answer at all (a server at its connection cap, say) decides nothing: ask again next time.
    server.then((found) => found === null && servers.delete(origin));
  }
  return server.then((found) => found ?? undefined);
}

/** The checker, undefined when the origin is not this API, null when it could not be asked. */
async function loadDocument(origin: string): Promise<OpenApiConformance | undefined | null> {
  const answer = await getOnce(`${origin}/openapi.json`);
  if (!answer) return null;
  if (answer.status !== 200) return undefined;
  let document: OpenApiDocument | undefined;
  try {
    document = JSON.parse(answer.text) as OpenApiDocument;
  } catch {
    return undefined;
  }
  if (document?.openapi === undefined || document.info?.title !== SERVICE_NAME) return undefined;
  const conformance = new OpenApiConformance(document);
  conformance.compileAll();
  return conformance;
}

/** A GET on a connection of its own, closed after: it must not hold one of the server's connections. */
function getOnce(url: string): Promise<{ status: number; text: string } | undefined> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', () => resolve(undefined));
    });
    request.on('error', () => resolve(undefined));
    request.setTimeout(10_000, () => request.destroy());
  });
}

/** Throws an OpenApiViolation when the answer is from this API and breaks its document. */
export async function assertConforms(origin: string, exchange: Exchange): Promise<void> {
  if (!exchange.headers.get('x-request-id')) return;
  const conformance = await conformanceOf(origin);
  const problems = conformance?.problems(exchange) ?? [];
  if (problems.length > 0) throw new OpenApiViolation(exchange, problems);
}

globalThis.fetch = async function checkedFetch(input: string | URL | Request, init?: RequestInit) {
  const response = await unchecked(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!response.headers.get('x-request-id') || !['http:', 'https:'].includes(url.protocol)) return response;
  let body: string;
  try {
    body = await response.clone().text();
  } catch {
    return response; // the connection broke mid-answer: the test sees that itself
  }
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  const sent = typeof init?.body === 'string' ? init.body : undefined;
  await assertConforms(url.origin, {
    method,
    url: url.pathname + url.search,
    status: response.status,
    headers: response.headers,
    body,
    request: {
      headers: new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)),
      body: sent,
    },
  });
  return response;
};
