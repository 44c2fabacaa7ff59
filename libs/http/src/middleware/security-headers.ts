const API_POLICY = "default-src 'none'; frame-ancestors 'none'";
// The docs page runs Swagger UI's own script and styles, from this origin only.
const DOCS_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** Headers every response carries, Koa's and those written below it alike: an API answers JSON and is never framed or sniffed. */
export function securityHeadersFor(path: string): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': path.startsWith('/docs') ? DOCS_POLICY : API_POLICY,
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  };
}
