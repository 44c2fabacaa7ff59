import Joi from 'joi';
import { defineRoute, Route } from '../routing/route';

export const SERVICE_NAME = 'Shopping Cart Backend';
export const API_VERSION = '2.0.0';

export interface HealthChecks {
  /** Whether the database answers, within the check's own deadline, on a connection outside the request pool. */
  databaseIsUp(): Promise<boolean>;
  /** False while the process starts or shuts down, so load balancers send traffic elsewhere. */
  isAcceptingTraffic(): boolean;
}

const healthSchema = Joi.object({
  status: Joi.string().valid('healthy', 'unhealthy', 'unavailable').required(),
  timestamp: Joi.string().isoDate().required(),
  database: Joi.string().valid('connected', 'disconnected').required(),
  version: Joi.string().required(),
  reason: Joi.string(),
}).label('Health');

const livenessSchema = Joi.object({
  status: Joi.string().valid('alive').required(),
  timestamp: Joi.string().isoDate().required(),
  version: Joi.string().required(),
}).label('Liveness');

const healthy = { description: 'the database answers', schema: healthSchema };
const tag = 'system';

export function systemRoutes(health: HealthChecks): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/',
      operationId: 'service',
      summary: 'What this service is',
      tag,
      access: 'public',
      responses: {
        200: {
          description: 'name, version, status',
          schema: Joi.object({
            service: Joi.string().required(),
            version: Joi.string().required(),
            status: Joi.string().valid('running').required(),
          }).label('Service'),
        },
      },
      handle(ctx) {
        ctx.body = { service: SERVICE_NAME, version: API_VERSION, status: 'running' };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/health/live',
      operationId: 'liveness',
      summary: 'Liveness: the process can serve (no database check)',
      tag,
      access: 'public',
      responses: { 200: { description: 'alive', schema: livenessSchema } },
      handle(ctx) {
        ctx.body = { status: 'alive', timestamp: new Date().toISOString(), version: API_VERSION };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/health',
      operationId: 'health',
      summary:
        'Health, with a database check on a connection of its own (a busy pool is not "disconnected"); ' +
        'answers within 2 s either way',
      tag,
      access: 'public',
      responses: { 200: healthy, 503: { description: 'the database does not answer', schema: healthSchema } },
      async handle(ctx) {
        const up = await health.databaseIsUp();
        ctx.status = up ? 200 : 503;
        ctx.body = healthBody(up);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/health/ready',
      operationId: 'readiness',
      summary: 'Readiness: like /health, and 503 once shutdown has begun',
      tag,
      access: 'public',
      responses: {
        200: healthy,
        503: { description: 'not ready: database down, or shutting down', schema: healthSchema },
      },
      async handle(ctx) {
        const accepting = health.isAcceptingTraffic();
        const up = accepting && (await health.databaseIsUp());
        ctx.status = up ? 200 : 503;
        ctx.body = { ...healthBody(up), ...(accepting ? {} : { status: 'unavailable', reason: 'shutting down' }) };
      },
    }),
  ];
}

function healthBody(databaseUp: boolean) {
  return {
    status: databaseUp ? 'healthy' : 'unhealthy',
    timestamp: new Date().toISOString(),
    database: databaseUp ? 'connected' : 'disconnected',
    version: API_VERSION,
  };
}
