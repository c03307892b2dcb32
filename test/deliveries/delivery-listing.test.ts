/**
 * GET /v1/deliveries and GET /v1/deliveries/{id}: what an operator sees when looking for a
 * message — filters, pages that neither skip nor repeat, and every attempt with Slack's answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDeliveries } from '../../src/delivery/claim-deliveries.ts';
import { recordOutcome } from '../../src/delivery/record-outcome.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { EVENT_TYPE, projectWithEventType, sendNumbered, setStatus, webhookDestination, type Project } from './delivery-fixtures.ts';

const ORIGIN = 'http://127.0.0.1:3999';
const relaxed = { destination: { intervalMs: 1, toleranceMs: 60_000 }, workspace: { intervalMs: 1, toleranceMs: 60_000 } };

describe.each(databaseKinds)('listing deliveries on %s', (kind) => {
  let gw: TestGateway;
  let project: Project;
  let alerts: string;
  let deploys: string;
  let alertIds: string[];
  let deployIds: string[];
  let otherTypeId: string;

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    project = await projectWithEventType(gw);
    const other = await gw.call('PUT', '/v1/event-types/ops.other', { key: project.key, body: { template: { text: 'other' } } });
    expect(other.status).toBe(200);
    alerts = await webhookDestination(gw, project, 'alerts', `${ORIGIN}/services/T0A/B0A/secretalerts`, [EVENT_TYPE, 'ops.other']);
    deploys = await webhookDestination(gw, project, 'deploys', `${ORIGIN}/services/T0A/B0B/secretdeploys`);
    const sent = await sendNumbered(gw, project, 1, 7);
    alertIds = sent.get(alerts)!;
    deployIds = sent.get(deploys)!;
    otherTypeId = (await sendNumbered(gw, project, 1, 1, 'ops.other')).get(alerts)![0];
  });
  afterAll(async () => gw?.close());

  it('pages through every delivery exactly once, newest first, even when all were accepted in the same instant', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/v1/deliveries?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await gw.call('GET', query, { key: project.key });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seen.push(...res.body.deliveries.map((d: { id: string }) => d.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4); // 15 deliveries in pages of 4
    expect(new Set(seen).size).toBe(15);
    expect(seen.sort()).toEqual([...alertIds, ...deployIds, otherTypeId].sort());
    const first = await gw.call('GET', '/v1/deliveries?limit=1', { key: project.key });
    expect(first.body.deliveries[0].id).toBe(otherTypeId); // the last batch is the newest
  });

  it('filters by destination, event type and status, and shows a held delivery as held', async () => {
    const byDestination = await gw.call('GET', `/v1/deliveries?destination_id=${deploys}`, { key: project.key });
    expect(byDestination.body.deliveries.map((d: { id: string }) => d.id).sort()).toEqual([...deployIds].sort());
    expect(byDestination.body.deliveries[0]).toMatchObject({ destination_name: 'deploys', destination_kind: 'webhook', event_type: EVENT_TYPE, status: 'pending' });

    const byType = await gw.call('GET', '/v1/deliveries?event_type=ops.other', { key: project.key });
    expect(byType.body.deliveries.map((d: { id: string }) => d.id)).toEqual([otherTypeId]);

    await setStatus(gw, alertIds[0], 'dead', { lastError: 'http_503' });
    await setStatus(gw, alertIds[1], 'failed', { lastError: 'Slack rejected the message: invalid_blocks' });
    await gw.ctx.db.query(`UPDATE destinations SET status = 'needs_attention', status_reason = 'no_service', status_hint = 'Create a new webhook URL.' WHERE id = $1`, [deploys]);
    try {
      const dead = await gw.call('GET', '/v1/deliveries?status=dead,failed', { key: project.key });
      expect(dead.body.deliveries.map((d: { id: string }) => d.id).sort()).toEqual([alertIds[0], alertIds[1]].sort());
      expect(dead.body.deliveries.find((d: { id: string }) => d.id === alertIds[0]).last_error).toBe('http_503');

      const held = await gw.call('GET', '/v1/deliveries?status=held', { key: project.key });
      expect(held.body.deliveries).toHaveLength(deployIds.length);
      expect(held.body.deliveries[0]).toMatchObject({ status: 'held', destination_status: 'needs_attention', hint: 'Create a new webhook URL.' });
      const pending = await gw.call('GET', '/v1/deliveries?status=pending', { key: project.key });
      expect(pending.body.deliveries.every((d: { destination_id: string }) => d.destination_id === alerts)).toBe(true);
    } finally {
      await gw.ctx.db.query(`UPDATE destinations SET status = 'active', status_reason = NULL, status_hint = NULL WHERE id = $1`, [deploys]);
      await setStatus(gw, alertIds[0], 'pending');
      await setStatus(gw, alertIds[1], 'pending');
    }
  });

  it('filters by acceptance time: since is inclusive, until exclusive', async () => {
    await setStatus(gw, deployIds[0], 'pending', { createdAt: '2026-03-01T10:00:00Z' });
    await setStatus(gw, deployIds[1], 'pending', { createdAt: '2026-03-01T11:00:00Z' });
    await setStatus(gw, deployIds[2], 'pending', { createdAt: '2026-03-01T12:00:00Z' });
    const res = await gw.call('GET', `/v1/deliveries?destination_id=${deploys}&since=2026-03-01T10:00:00Z&until=2026-03-01T12:00:00Z`, { key: project.key });
    expect(res.status).toBe(200);
    expect(res.body.deliveries.map((d: { id: string }) => d.id)).toEqual([deployIds[1], deployIds[0]]);
    expect(res.body.deliveries[0].created_at).toBe('2026-03-01T11:00:00.000Z');
  });

  it('explains a bad filter instead of ignoring it', async () => {
    const status = await gw.call('GET', '/v1/deliveries?status=lost', { key: project.key });
    expect(status.status).toBe(400);
    expect(status.body.error.message).toContain('"lost" is not one of');
    const since = await gw.call('GET', '/v1/deliveries?since=yesterday', { key: project.key });
    expect(since.status).toBe(400);
    expect(since.body.error.message).toContain('since');
    const cursor = await gw.call('GET', '/v1/deliveries?cursor=not-a-cursor', { key: project.key });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.message).toContain('next_cursor');
  });

  it('shows one delivery with every attempt, oldest first, and where Slack put it', async () => {
    const id = alertIds[2];
    // Only this one is due, and it is the head of its line.
    await gw.ctx.db.query(`UPDATE deliveries SET run_at = now() + interval '1 hour' WHERE id <> $1`, [id]);
    await gw.ctx.db.query(`UPDATE deliveries SET status = 'cancelled' WHERE destination_id = $1 AND seq < (SELECT seq FROM deliveries WHERE id = $2)`, [alerts, id]);
    const policy = { windowMs: 24 * 3600_000 };
    const [first] = await claimDeliveries(gw.ctx.db, 'worker-a', 10, relaxed);
    expect(first.id).toBe(id);
    const request = { url: `${ORIGIN}/services/T…/B…/…erts`, body: { text: 'message 3' } };
    await recordOutcome(gw.ctx.db, 'worker-a', first, { outcome: { kind: 'retry', error: 'http_503' }, request, httpStatus: 503, response: 'service unavailable', latencyMs: 12 }, new Date(Date.now() - 1000), policy);
    await gw.ctx.db.query('UPDATE deliveries SET run_at = now() WHERE id = $1', [id]);
    const [second] = await claimDeliveries(gw.ctx.db, 'worker-b', 10, relaxed);
    expect(second.id).toBe(id);
    await recordOutcome(gw.ctx.db, 'worker-b', second, { outcome: { kind: 'sent', channel: 'C0ALERTS', ts: '1700000000.000100' }, request, httpStatus: 200, response: 'ok', latencyMs: 8 }, new Date(), policy);

    const res = await gw.call('GET', `/v1/deliveries/${id}`, { key: project.key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      status: 'sent',
      attempts: 2,
      slack_channel: 'C0ALERTS',
      slack_ts: '1700000000.000100',
      message: { text: 'message 3' },
      destination: { id: alerts, name: 'alerts', status: 'active', status_hint: null },
    });
    expect(res.body.sent_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(res.body.attempt_log.map((a: { worker: string; outcome: string; http_status: number; error: string | null }) => [a.worker, a.outcome, a.http_status, a.error])).toEqual([
      ['worker-a', 'retry', 503, 'http_503'],
      ['worker-b', 'sent', 200, null],
    ]);
    expect(res.body.attempt_log[0]).toMatchObject({ attempt: 1, latency_ms: 12, response: 'service unavailable', request });
    expect(JSON.stringify(res.body)).not.toContain('secretalerts');
  });

  it('answers 404 for another project’s delivery, as for one that does not exist', async () => {
    const other = await gw.createProject('Other');
    expect((await gw.call('GET', `/v1/deliveries/${alertIds[0]}`, { key: other.key })).status).toBe(404);
    expect((await gw.call('GET', '/v1/deliveries/dlv_0000000000000000000000', { key: project.key })).status).toBe(404);
    const list = await gw.call('GET', '/v1/deliveries', { key: other.key });
    expect(list.body).toEqual({ deliveries: [], next_cursor: null });
  });
});

describe('the deliveries API description', () => {
  it('documents every delivery route and the test message in /openapi.json', async () => {
    const gw = await createTestGateway('pglite');
    try {
      const res = await gw.app.request('/openapi.json');
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { paths: Record<string, Record<string, { summary?: string }>>; components: { schemas: Record<string, unknown> } };
      expect(Object.keys(doc.paths['/v1/deliveries'])).toEqual(['get']);
      for (const path of ['/v1/deliveries/{delivery_id}/retry', '/v1/deliveries/{delivery_id}/cancel', '/v1/deliveries/retry', '/v1/deliveries/cancel', '/v1/destinations/{destination_id}/test']) {
        expect(doc.paths[path]?.post?.summary, path).toBeTruthy();
      }
      for (const schema of ['Delivery', 'DeliveryDetail', 'DeliveryAttempt', 'BulkRetryInput', 'BulkCancelInput', 'TestMessageResult']) {
        expect(doc.components.schemas[schema], schema).toBeDefined();
      }
    } finally {
      await gw.close();
    }
  });
});
