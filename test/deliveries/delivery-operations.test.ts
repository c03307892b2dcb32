/**
 * Retry and cancel, one by one and in bulk: which states allow them, what a refusal says, that a
 * retried delivery takes its old place at the head of its line, that chunked bulk work keeps the
 * line waiting between chunks, and that the delivery workers are woken.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDeliveries } from '../../src/delivery/claim-deliveries.ts';
import { CHUNK_HOLD_NOTE } from '../../src/deliveries/retry-deliveries.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { projectWithEventType, sendNumbered, setStatus, storedStatus, webhookDestination, type Project } from './delivery-fixtures.ts';

const ORIGIN = 'http://127.0.0.1:3999';
const relaxed = { destination: { intervalMs: 1, toleranceMs: 60_000 }, workspace: { intervalMs: 1, toleranceMs: 60_000 } };

describe.each(databaseKinds)('retrying and cancelling deliveries on %s', (kind) => {
  let gw: TestGateway;
  let project: Project;
  let wakeUps = 0;
  let destinationCount = 0;

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    gw.ctx.onDeliveriesChanged = () => wakeUps++;
    project = await projectWithEventType(gw);
  });
  afterAll(async () => gw?.close());
  beforeEach(() => {
    wakeUps = 0;
  });

  /** A fresh destination with its own event type, and `count` deliveries waiting in order. */
  async function line(count: number): Promise<{ destination: string; type: string; ids: string[] }> {
    destinationCount++;
    const type = `line.n${destinationCount}`;
    expect((await gw.call('PUT', `/v1/event-types/${type}`, { key: project.key, body: { template: { text: 'message {{ data.n }}' } } })).status).toBe(200);
    const destination = await webhookDestination(gw, project, `line ${destinationCount}`, `${ORIGIN}/services/T0A/B0${destinationCount}/secret${destinationCount}`, [type]);
    const ids = (await sendNumbered(gw, project, 1, count, type)).get(destination) ?? [];
    return { destination, type, ids };
  }

  /** Which delivery the engine would send next for this destination (claimed, then put back untouched). */
  async function head(destination: string): Promise<string | undefined> {
    const claimed = await claimDeliveries(gw.ctx.db, 'probe', 100, relaxed);
    for (const c of claimed) {
      await gw.ctx.db.query(`UPDATE deliveries SET status = 'pending', attempts = attempts - 1, locked_by = NULL, locked_at = NULL WHERE id = $1`, [c.id]);
    }
    await gw.ctx.db.query('DELETE FROM pacing_buckets');
    return claimed.find((c) => c.destinationId === destination)?.id;
  }

  it('sends a dead delivery again from its old place: it becomes the head of the line', async () => {
    const { destination, ids } = await line(3);
    // The first message died while the others waited behind it.
    await setStatus(gw, ids[0], 'dead', { lastError: 'http_503' });
    expect(await head(destination)).toBe(ids[1]);

    const res = await gw.call('POST', `/v1/deliveries/${ids[0]}/retry`, { key: project.key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: ids[0], status: 'pending', last_error: null });
    expect(Date.parse(res.body.run_at)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(wakeUps).toBe(1);
    expect(await head(destination)).toBe(ids[0]);
  });

  it('retries failed, expired and cancelled deliveries; an expired one loses its past time to live', async () => {
    const { ids } = await line(3);
    await setStatus(gw, ids[0], 'failed', { lastError: 'Slack rejected the message: invalid_blocks' });
    await setStatus(gw, ids[1], 'expired');
    await gw.ctx.db.query(`UPDATE deliveries SET expires_at = now() - interval '1 minute' WHERE id = $1`, [ids[1]]);
    await setStatus(gw, ids[2], 'cancelled');
    for (const id of ids) {
      const res = await gw.call('POST', `/v1/deliveries/${id}/retry`, { key: project.key });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe('pending');
    }
    expect((await storedStatus(gw, ids[1])).expires_at).toBeNull();
  });

  it('refuses to retry what is sent, being sent, waiting or held, saying why', async () => {
    const { destination, ids } = await line(4);
    await setStatus(gw, ids[0], 'sent');
    await setStatus(gw, ids[1], 'sending');
    const cases: [string, string][] = [
      [ids[0], 'would post the message twice'],
      [ids[1], 'being sent to Slack right now'],
      [ids[2], 'already waiting in line'],
    ];
    for (const [id, why] of cases) {
      const res = await gw.call('POST', `/v1/deliveries/${id}/retry`, { key: project.key });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('delivery_not_retryable');
      expect(res.body.error.message).toContain(why);
    }
    await gw.ctx.db.query(`UPDATE destinations SET status = 'needs_attention', status_reason = 'no_service', status_hint = 'Create a new webhook URL.' WHERE id = $1`, [destination]);
    const held = await gw.call('POST', `/v1/deliveries/${ids[3]}/retry`, { key: project.key });
    expect(held.status).toBe(409);
    expect(held.body.error.message).toContain('needs attention: Create a new webhook URL.');
    expect(held.body.error.message).toContain(`/v1/destinations/${destination}/test`);
    expect(wakeUps).toBe(0);
    expect((await storedStatus(gw, ids[0])).status).toBe('sent');
  });

  it('cancels a waiting or held delivery; the next one becomes the head', async () => {
    const { destination, ids } = await line(3);
    const res = await gw.call('POST', `/v1/deliveries/${ids[0]}/cancel`, { key: project.key });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(wakeUps).toBe(1);
    expect(await head(destination)).toBe(ids[1]);

    await gw.ctx.db.query(`UPDATE destinations SET status = 'needs_attention' WHERE id = $1`, [destination]);
    const held = await gw.call('POST', `/v1/deliveries/${ids[1]}/cancel`, { key: project.key });
    expect(held.status).toBe(200);
    await gw.ctx.db.query(`UPDATE destinations SET status = 'active' WHERE id = $1`, [destination]);
    expect(await head(destination)).toBe(ids[2]);
  });

  it('refuses to cancel what is being sent or finished', async () => {
    const { ids } = await line(3);
    await setStatus(gw, ids[0], 'sending');
    await setStatus(gw, ids[1], 'sent');
    await setStatus(gw, ids[2], 'dead');
    const expected = ['cannot be stopped', 'already sent', 'already finished (dead)'];
    for (const [i, id] of ids.entries()) {
      const res = await gw.call('POST', `/v1/deliveries/${id}/cancel`, { key: project.key });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('delivery_not_cancellable');
      expect(res.body.error.message).toContain(expected[i]);
    }
    expect((await storedStatus(gw, ids[0])).status).toBe('sending');
  });

  it('retries all of one destination’s dead deliveries accepted since a time, and nothing else', async () => {
    const { destination, ids } = await line(6);
    const other = await line(1);
    await setStatus(gw, other.ids[0], 'dead');
    await setStatus(gw, ids[0], 'dead', { createdAt: '2026-01-01T09:00:00Z' }); // before `since`
    for (const id of ids.slice(1, 4)) await setStatus(gw, id, 'dead', { createdAt: '2026-01-01T10:30:00Z' });
    await setStatus(gw, ids[4], 'failed', { createdAt: '2026-01-01T10:30:00Z' }); // not asked for
    await setStatus(gw, ids[5], 'sent', { createdAt: '2026-01-01T10:30:00Z' });

    const res = await gw.call('POST', '/v1/deliveries/retry', { key: project.key, body: { destination_id: destination, since: '2026-01-01T10:00:00Z' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ retried: 3, matched: 3, delivery_ids: ids.slice(1, 4), next_cursor: null });
    expect(wakeUps).toBe(1);
    expect((await storedStatus(gw, ids[0])).status).toBe('dead');
    expect((await storedStatus(gw, ids[4])).status).toBe('failed');
    expect((await storedStatus(gw, ids[5])).status).toBe('sent');
    expect((await storedStatus(gw, other.ids[0])).status).toBe('dead');

    const failed = await gw.call('POST', '/v1/deliveries/retry', { key: project.key, body: { destination_id: destination, since: '2026-01-01T00:00:00Z', statuses: ['failed', 'dead'] } });
    expect(failed.body.delivery_ids).toEqual([ids[0], ids[4]]);
    const nothing = await gw.call('POST', '/v1/deliveries/retry', { key: project.key, body: { destination_id: destination, since: '2026-01-01T00:00:00Z' } });
    expect(nothing.body).toEqual({ retried: 0, matched: 0, delivery_ids: [], next_cursor: null });
  });

  it('in chunks, retries oldest first and keeps the line waiting at each chunk’s end until the next chunk is back', async () => {
    const { destination, type, ids } = await line(5);
    for (const id of ids) await setStatus(gw, id, 'dead');
    const newer = (await sendNumbered(gw, project, 6, 6, type)).get(destination)!; // still waiting, behind the dead ones

    const chunks: string[][] = [];
    const matched: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await gw.call('POST', '/v1/deliveries/retry', { key: project.key, body: { destination_id: destination, since: '2020-01-01T00:00:00Z', limit: 2, cursor } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      chunks.push(res.body.delivery_ids);
      matched.push(res.body.matched);
      if (res.body.next_cursor) {
        // The last of this chunk waits for the rest, so the newer message cannot slip in between.
        const boundary = await storedStatus(gw, res.body.delivery_ids[1]);
        expect(boundary.last_error).toBe(CHUNK_HOLD_NOTE);
        expect(boundary.run_at.getTime()).toBeGreaterThan(Date.now() + 30_000);
      }
      if (i === 0) {
        // The worker sends the first message of the chunk; the line then waits at the chunk's end.
        expect(await head(destination)).toBe(ids[0]);
        await setStatus(gw, ids[0], 'sent');
        expect(await head(destination)).toBeUndefined();
      }
      cursor = res.body.next_cursor ?? undefined;
      if (!cursor) break;
    }
    expect(chunks).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(matched).toEqual([5, 3, 1]);
    for (const id of ids.slice(1)) {
      const s = await storedStatus(gw, id);
      expect(s).toMatchObject({ status: 'pending', last_error: null });
      expect(s.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    }
    expect(await head(destination)).toBe(ids[1]);
    expect((await storedStatus(gw, newer[0])).status).toBe('pending');
  });

  it('cancels in bulk by destination, by event and by time, leaving what is being sent', async () => {
    const a = await line(4);
    const b = await line(2);
    await setStatus(gw, a.ids[0], 'sending');
    const byDestination = await gw.call('POST', '/v1/deliveries/cancel', { key: project.key, body: { destination_id: a.destination } });
    expect(byDestination.status, JSON.stringify(byDestination.body)).toBe(200);
    expect(byDestination.body).toEqual({ cancelled: 3, matched: 3, delivery_ids: a.ids.slice(1), next_cursor: null });
    expect((await storedStatus(gw, a.ids[0])).status).toBe('sending');
    expect((await storedStatus(gw, b.ids[0])).status).toBe('pending');

    const event = await gw.call('GET', `/v1/deliveries/${b.ids[0]}`, { key: project.key });
    const byEvent = await gw.call('POST', '/v1/deliveries/cancel', { key: project.key, body: { event_id: event.body.event_id } });
    expect(byEvent.body.delivery_ids).toEqual([b.ids[0]]);

    await setStatus(gw, b.ids[1], 'pending', { createdAt: '2026-01-01T00:00:00Z' });
    const early = await gw.call('POST', '/v1/deliveries/cancel', { key: project.key, body: { destination_id: b.destination, before: '2026-01-02T00:00:00Z', limit: 1 } });
    expect(early.body).toEqual({ cancelled: 1, matched: 1, delivery_ids: [b.ids[1]], next_cursor: null });
    expect(wakeUps).toBe(3);
  });

  it('asks what to cancel rather than cancelling a whole project, and checks what it is given', async () => {
    const none = await gw.call('POST', '/v1/deliveries/cancel', { key: project.key, body: {} });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('destination_id, event_id and/or before');
    const unknown = await gw.call('POST', '/v1/deliveries/cancel', { key: project.key, body: { destination_id: 'dst_nope' } });
    expect(unknown.status).toBe(404);
    const badStatus = await gw.call('POST', '/v1/deliveries/retry', { key: project.key, body: { destination_id: 'dst_nope', since: '2026-01-01T00:00:00Z', statuses: ['sent'] } });
    expect(badStatus.status).toBe(400);
    const noSince = await gw.call('POST', '/v1/deliveries/retry', { key: project.key, body: { destination_id: 'dst_nope' } });
    expect(noSince.status).toBe(400);
    expect(noSince.body.error.message).toContain('since');
    const badCursor = await gw.call('POST', '/v1/deliveries/cancel', { key: project.key, body: { before: '2026-01-01T00:00:00Z', cursor: 'abc' } });
    expect(badCursor.status).toBe(400);
  });

  it('does not let one project retry or cancel another’s deliveries', async () => {
    const { destination, ids } = await line(1);
    await setStatus(gw, ids[0], 'dead');
    const other = await gw.createProject('Other');
    expect((await gw.call('POST', `/v1/deliveries/${ids[0]}/retry`, { key: other.key })).status).toBe(404);
    expect((await gw.call('POST', '/v1/deliveries/retry', { key: other.key, body: { destination_id: destination, since: '2020-01-01T00:00:00Z' } })).status).toBe(404);
    expect((await gw.call('POST', '/v1/deliveries/cancel', { key: other.key, body: { before: '2100-01-01T00:00:00Z' } })).body.cancelled).toBe(0);
    expect((await storedStatus(gw, ids[0])).status).toBe('dead');
  });
});
