/**
 * The gateway's HTTP application: health checks, the API description, and the /v1 REST API behind
 * API-key authentication. Routes only translate HTTP to domain calls; errors are shaped in one
 * place (error-response.ts).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../app-context.ts';
import { SwitchboardError } from '../errors.ts';
import { authenticate, type HttpEnv } from './authenticate.ts';
import { bodyLimit } from './body-limit.ts';
import { errorBody, respondWithError } from './error-response.ts';
import { connectionChannelRoutes } from './routes/connection-channel-routes.ts';
import { connectionRoutes } from './routes/connection-routes.ts';
import { deliveryRoutes } from './routes/delivery-routes.ts';
import { destinationRoutes } from './routes/destination-routes.ts';
import { registerDocs } from './routes/docs-routes.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { eventTypeRoutes } from './routes/event-type-routes.ts';
import { oauthRoutes } from './routes/oauth-routes.ts';
import { projectRoutes } from './routes/project-routes.ts';
import { subjectRoutes } from './routes/subject-routes.ts';

export const API_VERSION = '0.1.0';

export function createHttpApp(ctx: AppContext): OpenAPIHono<HttpEnv> {
  const app = new OpenAPIHono<HttpEnv>();

  app.onError((error, c) => respondWithError(c, error, (err) => ctx.logger.error({ err, path: c.req.path }, 'request failed')));
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}: see /docs`), 404));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await ctx.db.query('SELECT 1');
      return c.json({ status: 'ready', database: ctx.db.kind });
    } catch {
      return c.json({ status: 'not_ready', database: ctx.db.kind }, 503);
    }
  });

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
