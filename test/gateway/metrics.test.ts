/**
 * GET /metrics: what a Prometheus scrape sees after real traffic through the emulator (events
 * accepted, deliveries by outcome, Slack latency and 429s, the queue read from the database), that
 * SWITCHBOARD_METRICS_TOKEN guards it, and that a failing or stuck database still gets an answer.
 * The exposition text is parsed strictly (test/helpers/prometheus-text.ts); expected counts come
 * from the audit log (delivery_attempts), which records every attempt the counters count.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { createHttpApp } from '../../src/http/create-http-app.ts';
import { DELIVERY_OUTCOMES, GatewayMetrics } from '../../src/metrics/gateway-metrics.ts';
import { EVENT_TYPE, eventually, startDeliveryStack, type DeliveryStack } from '../delivery/delivery-stack.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { parsePrometheusText, type Exposition } from '../helpers/prometheus-text.ts';

type App = { request(path: string, init?: RequestInit): Response | Promise<Response> };

async function scrape(app: App, headers: Record<string, string> = {}): Promise<Exposition> {
  const res = await app.request('/metrics', { headers });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(text);
}

describe.each(databaseKinds)('GET /metrics on %s', (kind) => {
  let s: DeliveryStack;
  beforeAll(async () => {
    s = await startDeliveryStack(kind);
  });
  afterAll(async () => s?.close());

  async function statuses(destinationId: string): Promise<string[]> {
    return (await s.deliveries(destinationId)).map((d) => d.status);
  }

  async function attemptCount(where: string, params: unknown[] = []): Promise<number> {
    const { rows } = await s.gw.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM delivery_attempts a WHERE ${where}`, params);
    return rows[0].n;
  }

  it('starts with every series at zero, typed, with process metrics and the database up', async () => {
    const m = await scrape(s.gw.app);
    expect(m.types.get('switchboard_events_accepted_total')).toBe('counter');
    expect(m.types.get('switchboard_deliveries_total')).toBe('counter');
    expect(m.types.get('switchboard_slack_rate_limited_total')).toBe('counter');
    expect(m.types.get('switchboard_database_errors_total')).toBe('counter');
    expect(m.types.get('switchboard_slack_request_duration_seconds')).toBe('histogram');
    for (const gauge of ['switchboard_queue_depth', 'switchboard_queue_oldest_seconds', 'switchboard_destinations_needing_attention', 'switchboard_database_up']) {
      expect(m.types.get(gauge), gauge).toBe('gauge');
    }
    expect(m.value('switchboard_events_accepted_total', { mode: 'single' })).toBe(0);
    expect(m.value('switchboard_events_accepted_total', { mode: 'batch' })).toBe(0);
    for (const outcome of DELIVERY_OUTCOMES) expect(m.value('switchboard_deliveries_total', { outcome }), outcome).toBe(0);
    expect(m.value('switchboard_database_up')).toBe(1);
    for (const status of ['pending', 'held', 'sending']) {
      expect(m.value('switchboard_queue_depth', { status })).toBe(0);
      expect(m.value('switchboard_queue_oldest_seconds', { status })).toBe(0);
    }
    expect(m.value('switchboard_destinations_needing_attention')).toBe(0);
    // collectDefaultMetrics: process figures and the event loop's lag.
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(m.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(m.types.get('nodejs_eventloop_lag_p99_seconds')).toBe('gauge');
  });

  it('counts events, deliveries by outcome, Slack calls and 429s, and reads the queue from the database', async () => {
    const { channels, webhookUrl, botToken } = s.slack.defaultWorkspace;
    const ok = await s.channelLine('ok', channels.alerts);
    const hook = await s.webhookLine('hook', webhookUrl);
    const limited = await s.channelLine('limited', channels.deployments);
    const broken = await s.channelLine('broken', channels.general);

    // Accepted: 3 in a batch, 1 alone (its replay is not a new event).
    await s.send('ok', 1, 3);
    for (let i = 0; i < 2; i++) {
      const res = await s.api('POST', '/v1/events', { type: EVENT_TYPE, key: 'hook-1', data: { line: 'hook', n: 1 } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.replayed).toBe(i === 1);
    }
    await eventually(async () => expect(await statuses(ok)).toEqual(['sent', 'sent', 'sent']));
    await eventually(async () => expect(await statuses(hook)).toEqual(['sent']));

    // A 429: one message a second with no burst in #deployments; the second of two waits Retry-After.
    await s.slack.control.setRateLimits(s.teamId, { enabled: true, channel_per_second: 1, channel_burst: 1, workspace_per_minute: 1000 });
    await s.send('limited', 1, 2);
    await eventually(async () => expect(await statuses(limited)).toEqual(['sent', 'sent']), 20_000);
    await s.slack.control.setRateLimits(s.teamId, { enabled: false });

    // Slack refuses one message's content (failed), then answers one 500 (retried, then sent).
    await s.slack.control.addFault({ method: 'chat.postMessage', kind: 'slack_error', error: 'invalid_blocks' });
    await s.send('ok', 4);
    await eventually(async () => expect((await statuses(ok))[3]).toBe('failed'));
    await s.slack.control.addFault({ method: 'chat.postMessage', kind: 'http_error', status: 500 });
    await s.send('ok', 5);
    await eventually(async () => expect((await statuses(ok))[4]).toBe('sent'));

    // A channel Slack cannot find: its destination needs attention and its line is held.
    await s.slack.control.addFault({ method: 'chat.postMessage', kind: 'slack_error', error: 'channel_not_found' });
    await s.send('broken', 1);
    await eventually(async () => expect((await s.destination(broken)).status).toBe('needs_attention'));
    await s.send('broken', 2);

    const rateLimited = await attemptCount(`a.outcome = 'rate_limited'`);
    expect(rateLimited).toBeGreaterThan(0);
    const sent = await attemptCount(`a.outcome = 'sent'`);
    expect(sent).toBe(3 + 1 + 2 + 1);
    const webApiCalls = await attemptCount(`a.destination_id <> $1`, [hook]);

    const m = await scrape(s.gw.app);
    expect(m.value('switchboard_events_accepted_total', { mode: 'batch' })).toBe(3 + 2 + 1 + 1 + 2);
    expect(m.value('switchboard_events_accepted_total', { mode: 'single' })).toBe(1);
    expect(m.value('switchboard_deliveries_total', { outcome: 'sent' })).toBe(sent);
    expect(m.value('switchboard_deliveries_total', { outcome: 'rate_limited' })).toBe(rateLimited);
    expect(m.value('switchboard_deliveries_total', { outcome: 'failed' })).toBe(1);
    expect(m.value('switchboard_deliveries_total', { outcome: 'retry' })).toBe(1);
    expect(m.value('switchboard_deliveries_total', { outcome: 'held' })).toBe(1);
    expect(m.value('switchboard_deliveries_total', { outcome: 'dead' })).toBe(0);
    expect(m.value('switchboard_slack_rate_limited_total', { transport: 'web_api' })).toBe(rateLimited);
    expect(m.value('switchboard_slack_rate_limited_total', { transport: 'webhook' })).toBe(0);

    // The histogram: one observation per call, buckets cumulative up to +Inf = count.
    const webApi = { transport: 'web_api', method: 'chat.postMessage' };
    expect(m.value('switchboard_slack_request_duration_seconds_count', webApi)).toBe(webApiCalls);
    expect(m.value('switchboard_slack_request_duration_seconds_bucket', { ...webApi, le: '+Inf' })).toBe(webApiCalls);
    expect(m.value('switchboard_slack_request_duration_seconds_sum', webApi)).toBeGreaterThan(0);
    const buckets = m.all('switchboard_slack_request_duration_seconds_bucket', webApi).map((b) => b.value);
    expect(buckets.length).toBeGreaterThan(2);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
    expect(m.value('switchboard_slack_request_duration_seconds_count', { transport: 'webhook', method: 'incoming_webhook' })).toBe(1);

    // The queue, as the database has it now.
    expect(m.value('switchboard_database_up')).toBe(1);
    expect(m.value('switchboard_queue_depth', { status: 'held' })).toBe(2);
    expect(m.value('switchboard_queue_depth', { status: 'pending' })).toBe(0);
    expect(m.value('switchboard_queue_depth', { status: 'sending' })).toBe(0);
    expect(m.value('switchboard_queue_oldest_seconds', { status: 'held' })).toBeGreaterThanOrEqual(0);
    expect(m.value('switchboard_destinations_needing_attention')).toBe(1);

    // No label carries a tenant's identity, a secret or an address.
    const forbidden = [s.project.id, s.project.key, ok, hook, limited, broken, s.connectionId, s.teamId, botToken, webhookUrl, 'http:', 'https:', '/services/'];
    for (const sample of m.samples) {
      for (const value of Object.values(sample.labels)) {
        for (const f of forbidden) expect(value.includes(f), `${sample.name} ${value}`).toBe(false);
      }
    }

    // Cancelling the held line counts each cancelled delivery and empties the queue.
    const cancel = await s.api('POST', '/v1/deliveries/cancel', { destination_id: broken });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(cancel.body.cancelled).toBe(2);
    const after = await scrape(s.gw.app);
    expect(after.value('switchboard_deliveries_total', { outcome: 'cancelled' })).toBe(2);
    expect(after.value('switchboard_queue_depth', { status: 'held' })).toBe(0);
  });

  it('answers without the database when its query fails, and counts API requests that failed on it', async () => {
    const failing: Database = { ...s.gw.ctx.db, query: () => Promise.reject(new Error('Connection terminated unexpectedly')) };
    const app = createHttpApp({ ...s.gw.ctx, db: failing });
    const before = await scrape(s.gw.app);

    const m = await scrape(app);
    expect(m.value('switchboard_database_up')).toBe(0);
    expect(m.all('switchboard_queue_depth')).toEqual([]);
    expect(m.all('switchboard_queue_oldest_seconds')).toEqual([]);
    expect(m.all('switchboard_destinations_needing_attention')).toEqual([]);
    // Everything else is still there.
    expect(m.value('switchboard_events_accepted_total', { mode: 'batch' })).toBe(before.value('switchboard_events_accepted_total', { mode: 'batch' }));
    expect(m.value('switchboard_deliveries_total', { outcome: 'sent' })).toBe(before.value('switchboard_deliveries_total', { outcome: 'sent' }));
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('counter');

    const res = await app.request('/v1/events', { headers: { authorization: `Bearer ${s.project.key}` } });
    expect([500, 503]).toContain(res.status);
    const errors = await scrape(app);
    expect(errors.value('switchboard_database_errors_total', { source: 'http' })).toBe((before.value('switchboard_database_errors_total', { source: 'http' }) ?? 0) + 1);

    // With the database back, the next scrape has the queue again.
    const back = await scrape(s.gw.app);
    expect(back.value('switchboard_database_up')).toBe(1);
    expect(back.value('switchboard_queue_depth', { status: 'pending' })).toBe(0);
    expect(back.value('switchboard_destinations_needing_attention')).toBe(1);
  });

  it('answers when the database hangs, without piling up queries behind the stuck one', async () => {
    let calls = 0;
    let release!: (error: Error) => void;
    const stuck: Database = {
      ...s.gw.ctx.db,
      query: () => {
        calls++;
        return new Promise<never>((_, reject) => {
          release = reject;
        });
      },
    };
    const metrics = new GatewayMetrics({ databaseTimeoutMs: 50, processMetrics: false });
    const hung = createHttpApp({ ...s.gw.ctx, db: stuck, metrics });
    for (let i = 0; i < 2; i++) {
      const m = await scrape(hung);
      expect(m.value('switchboard_database_up')).toBe(0);
      expect(m.all('switchboard_queue_depth')).toEqual([]);
    }
    expect(calls).toBe(1);
    release(new Error('gave up'));
    await eventually(async () => expect((await scrape(createHttpApp({ ...s.gw.ctx, metrics }))).value('switchboard_database_up')).toBe(1));
  });

  it('requires the bearer token when SWITCHBOARD_METRICS_TOKEN is set', async () => {
    const guarded = createHttpApp({ ...s.gw.ctx, config: { ...s.gw.ctx.config, metricsToken: 'metrics-token-for-tests' } });
    for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${s.gw.adminKey}`, 'metrics-token-for-tests']) {
      const res = await guarded.request('/metrics', { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    const m = await scrape(guarded, { authorization: 'Bearer metrics-token-for-tests' });
    expect(m.value('switchboard_database_up')).toBe(1);
    // Without the setting it is open (the suite's gateway has none), also to a caller with a key.
    expect((await s.gw.app.request('/metrics')).status).toBe(200);
    expect((await s.gw.app.request('/metrics', { headers: { authorization: 'Bearer anything' } })).status).toBe(200);
  });

  it('reads SWITCHBOARD_METRICS_TOKEN from the environment', () => {
    expect(loadConfig({ SWITCHBOARD_METRICS_TOKEN: 'from-env' }).metricsToken).toBe('from-env');
    expect(loadConfig({}).metricsToken).toBeUndefined();
  });

  it.runIf(kind === 'postgres')('counts PostgreSQL connections that fail', async () => {
    const before = (await scrape(s.gw.app)).value('switchboard_database_errors_total', { source: 'connection' })!;
    const admin = new pg.Client({ connectionString: s.gw.database.url });
    await admin.connect();
    try {
      // Every other session of this database ends, as in a server restart: idle pooled ones and the LISTEN one.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    } finally {
      await admin.end();
    }
    await eventually(async () => {
      const m = await scrape(s.gw.app);
      expect(m.value('switchboard_database_errors_total', { source: 'connection' })).toBeGreaterThan(before);
    });
  });
});
