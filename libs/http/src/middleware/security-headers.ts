const API_POLICY = "default-src 'none'; frame-ancestors 'none'";
// The docs page runs Swagger UI's own script and styles, from this origin only.
const DOCS_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const withPolicy = (policy: string): Readonly<Record<string, string>> =>
  Object.freeze({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': policy,
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  });
const API_HEADERS = withPolicy(API_POLICY);
const DOCS_HEADERS = withPolicy(DOCS_POLICY);

/** Headers every response carries, Koa's and those written below it alike: an API answers JSON and is never framed or sniffed. */
export function securityHeadersFor(path: string): Readonly<Record<string, string>> {
  return path.startsWith('/docs') ? DOCS_HEADERS : API_HEADERS;
}
