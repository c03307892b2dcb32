/**
 * GET /metrics: Prometheus text format (src/metrics/). No API key, as scrapers inside the network
 * usually have none; with SWITCHBOARD_METRICS_TOKEN set it requires `Authorization: Bearer <token>`.
 * Always answers 200 with what it has, even when the database does not answer (see
 * switchboard_database_up), so a scrape never hangs on a stuck database.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { AppContext } from '../../app-context.ts';
import { errorBody } from '../error-response.ts';

function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function metricsRoute(ctx: AppContext) {
  return async (c: Context) => {
    const metrics = ctx.metrics;
    if (!metrics) return c.json(errorBody('not_found', 'Metrics are not collected by this process'), 404);
    const token = ctx.config.metricsToken;
    if (token) {
      const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
      if (!match || !sameToken(match[1].trim(), token)) {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"');
        return c.json(errorBody('unauthorized', 'GET /metrics needs Authorization: Bearer <SWITCHBOARD_METRICS_TOKEN>'), 401);
      }
    }
    const text = await metrics.scrape(ctx.db);
    return c.body(text, 200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
  };
}
