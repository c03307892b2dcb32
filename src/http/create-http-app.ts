/**
 * The gateway's HTTP application: health checks, the API description, and the /v1 REST API behind
 * API-key authentication. Routes only translate HTTP to domain calls; errors are shaped in one
 * place (error-response.ts).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../app-context.ts';
import { SwitchboardError, ValidationError } from '../errors.ts';
import { authenticate, type HttpEnv } from './authenticate.ts';
import { bodyLimit } from './body-limit.ts';
import { checkReadiness } from '../db/check-readiness.ts';
import { errorBody, respondWithError, RETRY_AFTER_SECONDS } from './error-response.ts';
import { findUnstorable, textProblem, unstorableError } from './storable-input.ts';
import { connectionChannelRoutes } from './routes/connection-channel-routes.ts';
import { connectionRoutes } from './routes/connection-routes.ts';
import { deliveryRoutes } from './routes/delivery-routes.ts';
import { destinationRoutes } from './routes/destination-routes.ts';
import { registerDocs } from './routes/docs-routes.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { eventTypeRoutes } from './routes/event-type-routes.ts';
import { metricsRoute } from './routes/metrics-routes.ts';
import { oauthRoutes } from './routes/oauth-routes.ts';
import { projectRoutes } from './routes/project-routes.ts';
import { subjectRoutes } from './routes/subject-routes.ts';

export const API_VERSION = '0.1.0';

export function createHttpApp(ctx: AppContext): OpenAPIHono<HttpEnv> {
  const app = new OpenAPIHono<HttpEnv>();

  app.onError((error, c) => {
    const res = respondWithError(c, error, (err) => ctx.logger.error({ err, path: c.req.path }, 'request failed'));
    if (res.status === 500 || res.status === 503) ctx.metrics?.databaseError('http'); // most often the database (see docs/operations.md)
    return res;
  });
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}: see /docs`), 404));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const readiness = await checkReadiness(ctx.db);
    if (readiness.ready) return c.json({ status: 'ready', database: ctx.db.kind });
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return c.json({ status: 'not_ready', database: ctx.db.kind, reason: readiness.reason }, 503);
  });
  app.get('/metrics', metricsRoute(ctx));

  // Batches may carry up to 500 events, so they get a larger allowance than single calls.
  const tooLarge = (limit: number) => () => {
    throw new SwitchboardError('payload_too_large', `The request body is over ${limit} bytes: send fewer or smaller events (see SWITCHBOARD_MAX_BODY_BYTES)`);
  };
  const batchLimit = ctx.config.maxBodyBytes * 8;
  const batchBodyLimit = bodyLimit(batchLimit, tooLarge(batchLimit));
  const singleBodyLimit = bodyLimit(ctx.config.maxBodyBytes, tooLarge(ctx.config.maxBodyBytes));
  app.use('/v1/events/batch', batchBodyLimit);
  app.use('/v1/*', async (c, next) => {
    if (c.req.path === '/v1/events/batch') return next();
    return singleBodyLimit(c, next);
  });
  app.use('/v1/*', async (c, next) => {
    const type = c.req.header('content-type');
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && type && !/^application\/json\b/i.test(type)) {
      throw new SwitchboardError('unsupported_media_type', `Send JSON with Content-Type: application/json (got ${type})`);
    }
    return next();
  });
  app.use('/v1/*', authenticate(ctx));
  // Text the database cannot store (NUL, unpaired surrogates) and `__proto__` keys are refused
  // right after authentication, naming where they are; a batch judges each event on its own (event-routes.ts).
  app.use('/v1/*', async (c, next) => {
    for (const [name, values] of Object.entries(c.req.queries())) {
      for (const value of values) {
        const found = textProblem(value, '') ?? textProblem(name, '');
        if (found) throw unstorableError(found, `query parameter ${JSON.stringify(name.slice(0, 40))}`);
      }
    }
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      throw new ValidationError('The request path is not valid percent-encoded UTF-8: check the ids in it');
    }
    const inPath = textProblem(path, '');
    if (inPath) throw unstorableError(inPath, 'request path');
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && /^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      let body: unknown;
      try {
        body = await c.req.json(); // cached: the route's validator reads the same parsed body
      } catch {
        return next(); // not JSON: the route's validator answers invalid_json
      }
      const batch = c.req.path === '/v1/events/batch' && typeof body === 'object' && body !== null && Array.isArray((body as { events?: unknown }).events);
      const found = batch ? findUnstorable({ ...(body as object), events: [] }) : findUnstorable(body);
      if (found) throw unstorableError(found, 'request body');
    }
    return next();
  });
  // Read-your-writes for ingest's cache: a change made through this process is seen by the very
  // next event. (Other processes hear of it through NOTIFY project_changed.)
  app.use('/v1/*', async (c, next) => {
    await next();
    const ingest = c.req.path.startsWith('/v1/events');
    if (!ingest && c.req.method !== 'GET' && c.res.status < 400) {
      ctx.catalog.invalidate();
      ctx.apiKeys.clear();
    }
  });

  for (const routes of [projectRoutes, oauthRoutes, connectionRoutes, connectionChannelRoutes, destinationRoutes, eventTypeRoutes, eventRoutes, deliveryRoutes, subjectRoutes]) {
    app.route('/', routes(ctx));
  }
  registerDocs(app, API_VERSION);
  return app;
}
