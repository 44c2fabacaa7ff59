import { dirname } from 'node:path';
import Router from '@koa/router';
import mount from 'koa-mount';
import serve from 'koa-static';
import { Middleware } from 'koa';
import { asyncApiDocument } from '../events/asyncapi';
import { HttpError } from '../errors';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Shopping Cart Backend — API</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A file, not an inline script, so the page's Content-Security-Policy can forbid inline code.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/** /openapi.json, /asyncapi.json and an interactive page at /docs, served from the swagger-ui-dist package (no CDN). */
export function docsRoutes(router: Router, document: object): Middleware {
  const json = JSON.stringify(document);
  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = json;
  });
  const events = JSON.stringify(asyncApiDocument());
  router.get('/asyncapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = events;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'text/html';
    ctx.body = PAGE;
  });
  router.get('/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = INIT;
  });
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'));
  return mount('/docs/assets', notFoundWhenRefused(serve(assets, { maxage: 86_400_000, index: false })));
}

/**
 * koa-static refuses traversal, NUL bytes and malformed escapes by throwing
 * http-errors (400/403), which would otherwise surface as a bare 500: every
 * one of them names no asset, so it is the contract's 404.
 */
function notFoundWhenRefused(serveAssets: Middleware): Middleware {
  return async (ctx, next) => {
    try {
      await serveAssets(ctx, next);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        throw new HttpError(404, 'NOT_FOUND', 'No such asset');
      }
      throw error;
    }
  };
}
