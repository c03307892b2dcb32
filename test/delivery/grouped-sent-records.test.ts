/**
 * Posted messages are recorded in groups (src/delivery/sent-recorder.ts): sends that finish
 * together share one statement. Grouping must not blur what each delivery gets: only deliveries
 * this worker still owns are settled, every attempt is logged, each destination's pace is
 * counted from the answer, and a subject's first message becomes its root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDeliveries, type ClaimedDelivery } from '../../src/delivery/claim-deliveries.ts';
import { SentRecorder } from '../../src/delivery/sent-recorder.ts';
import type { Queryable } from '../../src/db/database.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { projectWithEventType, sendNumbered, webhookDestination, type Project } from '../deliveries/delivery-fixtures.ts';

const ORIGIN = 'http://127.0.0.1:3999';
const relaxed = { destination: { intervalMs: 1, toleranceMs: 60_000 }, workspace: { intervalMs: 1, toleranceMs: 60_000 } };
const DESTINATIONS = 10;

describe.each(databaseKinds)('recording posted messages in groups on %s', (kind) => {
  let gw: TestGateway;
  let project: Project;
  let claimed: ClaimedDelivery[];
  let extraTypes = 0;

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    project = await projectWithEventType(gw);
    for (let i = 0; i < DESTINATIONS; i++) await webhookDestination(gw, project, `hook-${i}`, `${ORIGIN}/services/T0A/B0${i}/secret${i}`);
    await sendNumbered(gw, project, 1, 1);
    claimed = await claimDeliveries(gw.ctx.db, 'worker-a', DESTINATIONS, relaxed);
    expect(claimed).toHaveLength(DESTINATIONS);
  });
  afterAll(async () => gw?.close());

  /** Sends one event to `n` new destinations and claims their deliveries as worker-a. */
  async function claimAfterSending(n: number): Promise<ClaimedDelivery[]> {
    const type = `ops.more${++extraTypes}`;
    const res = await gw.call('PUT', `/v1/event-types/${type}`, { key: project.key, body: { template: { text: 'more' } } });
    expect(res.status).toBe(200);
    for (let i = 0; i < n; i++) await webhookDestination(gw, project, `${type}-${i}`, `${ORIGIN}/services/T0A/B0X${extraTypes}${i}/secretx`, [type]);
    await sendNumbered(gw, project, 1, 1, type);
    const got = await claimDeliveries(gw.ctx.db, 'worker-a', 100, relaxed);
    expect(got).toHaveLength(n);
    return got;
  }

  it('settles each owned delivery, logs every attempt, and leaves a delivery another worker took alone', async () => {
    // The last one was released and re-claimed by another worker meanwhile (e.g. after a stall).
    const stolen = claimed[DESTINATIONS - 1];
    await gw.ctx.db.query(`UPDATE deliveries SET locked_by = 'worker-b' WHERE id = $1`, [stolen.id]);
    // One of those written together starts a subject's thread in its destination.
    const ROOTED = 5;
    const rooted = claimed.map((c, i) => (i === ROOTED ? { ...c, subject: 'approval:42' } : c));

    const statements: string[] = [];
    const counting: { query: Queryable['query'] } = {
      query: (sql, params) => {
        statements.push(sql);
        return gw.ctx.db.query(sql, params);
      },
    };
    const recorder = new SentRecorder(counting, 'worker-a');
    const outcomes = await Promise.all(
      rooted.map((delivery, i) =>
        recorder.record({
          delivery,
          report: {
            outcome: { kind: 'sent', channel: `C0${i}`, ts: `1700000000.00010${i}` },
            request: { url: `${ORIGIN}/services/T…/B…/…`, body: { text: `message ${i}` } },
            httpStatus: 200,
            response: 'ok',
            latencyMs: 5 + i,
            newRoot: i === ROOTED ? { channel: 'C05', ts: '1700000000.000105' } : undefined,
          },
          startedAt: new Date(),
          destinationIntervalMs: 60_000,
        }),
      ),
    );

    expect(outcomes).toEqual([...Array(DESTINATIONS - 1).fill('sent'), 'lost_claim']);
    // Ten sends finishing at once: the first two are written at once, one by one; the other eight share a statement.
    expect(statements.length).toBeLessThanOrEqual(3);

    const { rows } = await gw.ctx.db.query<{ id: string; status: string; locked_by: string | null; slack_channel: string | null; slack_ts: string | null }>(
      'SELECT id, status, locked_by, slack_channel, slack_ts FROM deliveries WHERE id = ANY($1)',
      [claimed.map((c) => c.id)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    claimed.slice(0, -1).forEach((c, i) => {
      expect(byId.get(c.id)).toMatchObject({ status: 'sent', locked_by: null, slack_channel: `C0${i}`, slack_ts: `1700000000.00010${i}` });
    });
    expect(byId.get(stolen.id)).toMatchObject({ status: 'sending', locked_by: 'worker-b', slack_ts: null });

    const attempts = await gw.ctx.db.query<{ delivery_id: string; worker: string; outcome: string; latency_ms: number; slack_ts: string }>(
      'SELECT delivery_id, worker, outcome, latency_ms, slack_ts FROM delivery_attempts WHERE delivery_id = ANY($1)',
      [claimed.map((c) => c.id)],
    );
    expect(attempts.rows).toHaveLength(DESTINATIONS); // what happened is logged, owned or not
    expect(attempts.rows.find((a) => a.delivery_id === claimed[3].id)).toMatchObject({ worker: 'worker-a', outcome: 'sent', latency_ms: 8, slack_ts: '1700000000.000103' });

    const roots = await gw.ctx.db.query('SELECT destination_id, subject, channel, ts, delivery_id FROM subject_messages');
    expect(roots.rows).toEqual([{ destination_id: claimed[ROOTED].destinationId, subject: 'approval:42', channel: 'C05', ts: '1700000000.000105', delivery_id: claimed[ROOTED].id }]);

    // Each settled destination waits a full interval from the answer; the stolen one is not touched.
    const paced = await gw.ctx.db.query<{ key: string; ahead_ms: number }>(
      `SELECT key, (extract(epoch FROM tat - now()) * 1000)::float8 AS ahead_ms FROM pacing_buckets WHERE key = ANY($1)`,
      [claimed.map((c) => `dst:${c.destinationId}`)],
    );
    const ahead = new Map(paced.rows.map((r) => [r.key, Number(r.ahead_ms)]));
    for (const c of claimed.slice(0, -1)) expect(ahead.get(`dst:${c.destinationId}`)).toBeGreaterThan(50_000);
    expect(ahead.get(`dst:${stolen.destinationId}`) ?? 0).toBeLessThan(50_000);
  });

  it('writes the others on their own when the database refuses a group for one record', async () => {
    const more = await claimAfterSending(3);
    const [bad, ...good] = more;
    const refusing: { query: Queryable['query'] } = {
      query: (sql, params, options) =>
        JSON.stringify(params).includes(bad.id) ? Promise.reject(Object.assign(new Error('refused'), { code: '23514', severity: 'ERROR' })) : gw.ctx.db.query(sql, params, options),
    };
    const report = { outcome: { kind: 'sent' as const, channel: 'C1', ts: '1.2' }, request: {}, latencyMs: 1 };
    // Two go at once, alone; the next three (the refused one among them) are written together.
    const leads = await claimAfterSending(2);
    const statements: string[] = [];
    const counted: { query: Queryable['query'] } = { query: (sql, params, options) => (statements.push(sql), refusing.query(sql, params, options)) };
    const recorder = new SentRecorder(counted, 'worker-a');
    const results = await Promise.allSettled([...leads, bad, ...good].map((delivery) => recorder.record({ delivery, report, startedAt: new Date() })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(statements).toHaveLength(2 + 1 + 3); // two alone, the refused group, then each of its three alone
    const { rows } = await gw.ctx.db.query<{ id: string; status: string }>('SELECT id, status FROM deliveries WHERE id = ANY($1)', [[...leads, ...more].map((d) => d.id)]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [leads[0].id]: 'sent', [leads[1].id]: 'sent', [bad.id]: 'sending', [good[0].id]: 'sent', [good[1].id]: 'sent',
    });
  });

  it('answers lost_claim, not an error, for a delivery deleted while it was being sent', async () => {
    const [gone] = await claimAfterSending(1);
    await gw.ctx.db.query('DELETE FROM deliveries WHERE id = $1', [gone.id]);
    const recorder = new SentRecorder(gw.ctx.db, 'worker-a');
    const report = { outcome: { kind: 'sent' as const, channel: 'C1', ts: '1.3' }, request: {}, latencyMs: 1 };
    expect(await recorder.record({ delivery: gone, report, startedAt: new Date() })).toBe('lost_claim');
  });

  it('fails every caller of a statement that fails, so each can try again', async () => {
    const failing = new SentRecorder({ query: () => Promise.reject(new Error('connection lost')) }, 'worker-a');
    const report = { outcome: { kind: 'sent' as const, channel: 'C1', ts: '1.1' }, request: {}, latencyMs: 1 };
    const results = await Promise.allSettled(claimed.slice(0, 3).map((delivery) => failing.record({ delivery, report, startedAt: new Date() })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
