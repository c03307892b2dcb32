import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const ORIGIN = 'http://127.0.0.1:3999';
let hookCounter = 0;
const hook = () => `${ORIGIN}/services/T0TEST/B0TEST${++hookCounter}/secretpart${hookCounter}abc`;

describe.each(databaseKinds)('ingest and routing on %s', (kind) => {
  let gw: TestGateway;
  let project: { id: string; key: string };

  async function destination(body: Record<string, unknown>) {
    const res = await gw.call('POST', '/v1/destinations', { key: project.key, body: { kind: 'webhook', webhook_url: hook(), ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }
  const send = (body: unknown) => gw.call('POST', '/v1/events', { key: project.key, body });
  // Data each built-in type requires (its data schema).
  const approvalData = (key: string) => ({ key, action: 'Deploy api v1.4.2 to production', requester: 'Alice' });
  const alertData = { service: 'checkout', title: 'Error rate above 5%' };
  const routedTo = (res: { body: any }) => (res.body.event.deliveries as { destination_id: string }[]).map((d) => d.destination_id).sort();

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    project = await gw.createProject('Routing');
  });
  afterAll(async () => gw?.close());

  it('routes by subscription, wildcard and condition; skips disabled destinations', async () => {
    const deployments = await destination({ name: '#deployments', subscriptions: ['approval.created', 'approval.executed'] });
    const security = await destination({ name: '#security-alerts', subscriptions: ['approval.pin_failed', 'approval.token_locked'] });
    const allApprovals = await destination({ name: 'all approvals', subscriptions: ['approval.*'] });
    const highAlerts = await destination({ name: 'pager', subscriptions: ['alert.*'], condition: 'severity >= high' });
    const majorDeploys = await destination({ name: 'major', subscriptions: ['deployment.*'], condition: 'data.major == true' });
    const disabled = await destination({ name: 'off', subscriptions: ['*'], enabled: false });

    const created = await send({ type: 'approval.created', data: approvalData('deploy-42') });
    expect(created.status).toBe(202);
    expect(routedTo(created)).toEqual([deployments, allApprovals].sort());

    const pin = await send({ type: 'approval.pin_failed', data: { key: 'deploy-42', attempts: 1 } });
    expect(routedTo(pin)).toEqual([security, allApprovals].sort());

    expect(routedTo(await send({ type: 'alert.triggered', severity: 'medium', data: alertData }))).toEqual([]);
    expect(routedTo(await send({ type: 'alert.triggered', severity: 'critical', data: alertData }))).toEqual([highAlerts]);
    expect(routedTo(await send({ type: 'deployment.succeeded', data: { major: false } }))).toEqual([]);
    expect(routedTo(await send({ type: 'deployment.succeeded', data: { major: true } }))).toEqual([majorDeploys]);

    const enable = await gw.call('POST', `/v1/destinations/${disabled}/enable`, { key: project.key });
    expect(enable.body.status).toBe('active');
    expect(routedTo(await send({ type: 'metric.threshold_breached', data: { metric: 'p95 latency', value: 900, threshold: 500 } }))).toEqual([disabled]);
  });

  it('is idempotent: the same key twice gives one event and the same answer', async () => {
    const body = { type: 'approval.created', key: 'idem-1', data: approvalData('deploy-7') };
    const first = await send(body);
    const second = await send(body);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(first.body.replayed).toBe(false);
    expect(second.body.replayed).toBe(true);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.event).toEqual(first.body.event);
    const { rows } = await gw.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE idempotency_key = 'idem-1'");
    expect(rows[0].n).toBe(1);
    const deliveries = await gw.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries WHERE event_id = $1', [first.body.event.id]);
    expect(deliveries.rows[0].n).toBe(first.body.event.deliveries.length);
  });

  it('accepts concurrent calls with one key exactly once', async () => {
    const body = { type: 'approval.created', key: 'idem-race', data: approvalData('deploy-8') };
    const answers = await Promise.all(Array.from({ length: 8 }, () => send(body)));
    expect(new Set(answers.map((a) => a.body.event.id)).size).toBe(1);
    expect(answers.filter((a) => !a.body.replayed)).toHaveLength(1);
  });

  it('writes the event and its rendered deliveries, in per-destination order', async () => {
    const d = await destination({ name: 'ordered', subscriptions: ['streak.hit'] });
    for (let i = 0; i < 5; i++) await send({ type: 'streak.hit', data: { participant: `P${i}`, streak: i + 2 } });
    const { rows } = await gw.ctx.db.query<{ seq: number; message: { text: string } }>(
      'SELECT d.seq, coalesce(d.message, e.message) AS message FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.destination_id = $1 ORDER BY d.seq',
      [d],
    );
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs).toHaveLength(5);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(rows.map((r) => r.message.text)).toEqual(rows.map((r) => r.message.text)); // rendered per event
    expect(rows.every((r) => typeof r.message.text === 'string' && r.message.text.length > 0)).toBe(true);
  });

  it('takes a batch in one call with per-event results', async () => {
    await destination({ name: 'batch', subscriptions: ['reward.won'] });
    const res = await gw.call('POST', '/v1/events/batch', {
      key: project.key,
      body: {
        events: [
          { type: 'reward.won', data: { participant: 'A', reward: 'A mug' }, key: 'b-1' },
          { type: 'no.such_type', data: {} },
          { type: 'reward.won', data: 'not an object' },
          { type: 'reward.won', data: { participant: 'A again', reward: 'A mug' }, key: 'b-1' },
        ],
      },
    });
    expect(res.status).toBe(202);
    expect(res.body.results.map((r: any) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'replayed']);
    expect(res.body.results[1].error.code).toBe('unknown_event_type');
    expect(res.body.results[2].error.code).toBe('validation_failed');
    expect(res.body.results[3].event.id).toBe(res.body.results[0].event.id);
  });

  it('answers bad input with a 4xx that says what to fix', async () => {
    const unknown = await send({ type: 'nope.nothing', data: {} });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('unknown_event_type');
    expect(unknown.body.error.message).toMatch(/PUT \/v1\/event-types/);

    const badType = await send({ type: 'Bad Type!', data: {} });
    expect(badType.status).toBe(400);
    expect(badType.body.error.message).toMatch(/type/);

    const extra = await send({ type: 'approval.created', data: {}, colour: 'red' });
    expect(extra.status).toBe(400);

    const notJson = await gw.call('POST', '/v1/events', { key: project.key, body: '{"type": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');

    const noKey = await gw.app.request('/v1/events', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(noKey.status).toBe(401);

    const big = await send({ type: 'approval.created', data: { blob: 'x'.repeat(70_000) } });
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body)).toMatch(/65536 bytes/);
  });

  it('refuses webhook URLs that are not Slack (or an allowed origin), saying why', async () => {
    const res = await gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'evil', kind: 'webhook', webhook_url: 'https://example.com/services/T1/B1/xyz', subscriptions: ['*'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('webhook_url_invalid');
    expect(res.body.error.message).toMatch(/hooks\.slack\.com/);
    const slack = await gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'real', kind: 'webhook', webhook_url: 'https://hooks.slack.com/services/T0FAKE/B0FAKE/notarealsecret', subscriptions: ['*'] },
    });
    expect(slack.status).toBe(201);
    expect(slack.body.webhook_url_hint).not.toContain('notarealsecret');
  });

  it('refuses a destination with an invalid condition, pointing at the problem', async () => {
    const res = await gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'bad', kind: 'webhook', webhook_url: hook(), subscriptions: ['*'], condition: 'severity >= ' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('condition_invalid');
    expect(res.body.error.message).toMatch(/column/);
  });
});
