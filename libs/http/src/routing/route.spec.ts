import { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import { assertActsFor } from '../auth/access';
import { Authenticator } from '../auth/authenticate';
import { Logger } from '../logger';
import { requestEdge } from '../middleware/edge';
import { jsonBody } from '../middleware/json-body';
import { Metrics } from '../observability/metrics';
import { mountRoutes, Route } from './route';

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const asAlice: Authenticator = async () => ({ subject: 'alice', guest: false, operator: false });

async function serve(routes: Route[], authenticator?: Authenticator) {
  const router = new Router({ sensitive: true });
  mountRoutes(router, routes, { jsonBody: jsonBody(1024), authenticator });
  const app = new Koa();
  app.silent = true;
  app.use(requestEdge(silent, new Metrics())).use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

const route = (handle: Route['handle']): Route => ({
  method: 'get',
  path: '/things/:owner',
  operationId: 'thing',
  summary: 'a thing',
  tag: 'test',
  access: 'customer',
  responses: {},
  handle,
});

describe('routes for a customer', () => {
  it('when a customer route never checks whose data it serves, then with authentication on it answers 500, not the data', async () => {
    const api = await serve([route((ctx) => void (ctx.body = { secret: true }))], asAlice);
    try {
      const response = await fetch(`${api.url}/things/bob`);
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain('secret');
    } finally {
      await api.close();
    }
  });

  it('when the route checks the owner after loading it, then only the owner gets the answer', async () => {
    const checked = route((ctx) => {
      assertActsFor(ctx, ctx.params['owner']);
      ctx.body = { owner: ctx.params['owner'] };
    });
    const api = await serve([checked], asAlice);
    try {
      expect((await fetch(`${api.url}/things/alice`)).status).toBe(200);
      expect((await fetch(`${api.url}/things/bob`)).status).toBe(403);
    } finally {
      await api.close();
    }
  });

  it('when authentication is off, then customer routes answer without a token', async () => {
    const api = await serve([route((ctx) => void (ctx.body = { ok: true }))]);
    try {
      expect((await fetch(`${api.url}/things/bob`)).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});
