import Router from '@koa/router';

export const SERVICE_NAME = 'Shopping Cart Backend';
export const API_VERSION = '2.0.0';

export interface HealthChecks {
  /** Whether the database answers, within the check's own deadline. */
  databaseIsUp(): Promise<boolean>;
  /** False while the process starts or shuts down, so load balancers send traffic elsewhere. */
  isAcceptingTraffic(): boolean;
}

export function systemRoutes(router: Router, health: HealthChecks): void {
  router.get('/', (ctx) => {
    ctx.body = { service: SERVICE_NAME, version: API_VERSION, status: 'running' };
  });

  router.get('/health/live', (ctx) => {
    ctx.body = { status: 'alive', timestamp: new Date().toISOString(), version: API_VERSION };
  });

  router.get('/health', async (ctx) => {
    const up = await health.databaseIsUp();
    ctx.status = up ? 200 : 503;
    ctx.body = healthBody(up);
  });

  router.get('/health/ready', async (ctx) => {
    const accepting = health.isAcceptingTraffic();
    const up = accepting && (await health.databaseIsUp());
    ctx.status = up ? 200 : 503;
    ctx.body = { ...healthBody(up), ...(accepting ? {} : { status: 'unavailable', reason: 'shutting down' }) };
  });
}

function healthBody(databaseUp: boolean) {
  return {
    status: databaseUp ? 'healthy' : 'unhealthy',
    timestamp: new Date().toISOString(),
    database: databaseUp ? 'connected' : 'disconnected',
    version: API_VERSION,
  };
}
