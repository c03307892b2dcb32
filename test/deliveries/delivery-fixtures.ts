/**
 * Shared set-up for the deliveries suites: a project with an event type whose message is its
 * number (`n`), webhook destinations, events sent through the API, and a way to put a delivery
 * into a given state as the engine would leave it.
 */
import { expect } from 'vitest';
import type { TestGateway } from '../helpers/gateway.ts';

export const EVENT_TYPE = 'ops.numbered';

export interface Project {
  id: string;
  key: string;
}

export async function projectWithEventType(gw: TestGateway, name = 'Deliveries'): Promise<Project> {
  const project = await gw.createProject(name);
  const type = await gw.call('PUT', `/v1/event-types/${EVENT_TYPE}`, { key: project.key, body: { template: { text: 'message {{ data.n }}' } } });
  expect(type.status, JSON.stringify(type.body)).toBe(200);
  return project;
}

export async function webhookDestination(gw: TestGateway, project: Project, name: string, url: string, subscriptions = [EVENT_TYPE]): Promise<string> {
  const res = await gw.call('POST', '/v1/destinations', { key: project.key, body: { name, kind: 'webhook', webhook_url: url, subscriptions } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** Sends events numbered `from`…`to` in one batch; returns their delivery ids by destination, in order. */
export async function sendNumbered(gw: TestGateway, project: Project, from: number, to: number, type = EVENT_TYPE): Promise<Map<string, string[]>> {
  const events = [];
  for (let n = from; n <= to; n++) events.push({ type, data: { n } });
  const res = await gw.call('POST', '/v1/events/batch', { key: project.key, body: { events } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const byDestination = new Map<string, string[]>();
  for (const result of res.body.results) {
    expect(result.status).toBe('accepted');
    for (const d of result.event.deliveries) byDestination.set(d.destination_id, [...(byDestination.get(d.destination_id) ?? []), d.id]);
  }
  return byDestination;
}

/** Leaves a delivery as the engine would after the named outcome. */
export async function setStatus(gw: TestGateway, deliveryId: string, status: string, extra: { lastError?: string; createdAt?: string } = {}): Promise<void> {
  await gw.ctx.db.query(
    `UPDATE deliveries SET status = $2, last_error = coalesce($3, last_error), created_at = coalesce($4::timestamptz, created_at),
       sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, attempts = CASE WHEN $2 = 'pending' THEN attempts ELSE greatest(attempts, 1) END,
       locked_by = CASE WHEN $2 = 'sending' THEN 'some-worker' END, locked_at = CASE WHEN $2 = 'sending' THEN now() END
     WHERE id = $1`,
    [deliveryId, status, extra.lastError ?? null, extra.createdAt ?? null],
  );
}

export async function storedStatus(gw: TestGateway, deliveryId: string): Promise<{ status: string; run_at: Date; last_error: string | null; expires_at: Date | null }> {
  const { rows } = await gw.ctx.db.query<{ status: string; run_at: Date; last_error: string | null; expires_at: Date | null }>(
    'SELECT status, run_at, last_error, expires_at FROM deliveries WHERE id = $1',
    [deliveryId],
  );
  return rows[0];
}
