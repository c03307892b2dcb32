/**
 * A Slack outage, and the operator's "retry now" and "resume" (src/delivery/outages.ts,
 * docs/deliveries.md). Two minutes of HTTP 503s from the emulator for every line of a workspace:
 * the heads back off and wait on the outage, one probe per outage is tried every
 * OUTAGE_PROBE_SECONDS, and once a probe gets through every waiting head is due at once (its
 * run_at is the probe's commit, not its own backoff) and every line drains in order, nothing lost.
 *
 * The queue's clock is the database's now(). The outage test moves it without sleeping: moving
 * time forward is moving every stored time of unfinished work back (run_at, acceptance, the
 * outages' and the pacing buckets' times), with the gateway's ManualClock alongside.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDeliveriesCommands, type CliIo } from '../../src/cli/commands/deliveries.ts';
import { nextClaimAt } from '../../src/delivery/claim-deliveries.ts';
import { OUTAGE_PROBE_SECONDS } from '../../src/delivery/outages.ts';
import { pacingRules } from '../../src/delivery/pacing.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { eventually, range, startDeliveryStack, type DeliveryStack } from './delivery-stack.ts';

const PROBE_MS = OUTAGE_PROBE_SECONDS * 1000;
const OUTAGE_MS = 120_000;
const PER_LINE = 5;

interface Head {
  id: string;
  destination_id: string;
  outage_key: string | null;
  run_at: number;
  attempts: number;
}

async function dbNow(s: DeliveryStack): Promise<number> {
  const { rows } = await s.gw.ctx.db.query<{ now: number }>('SELECT (extract(epoch FROM now()) * 1000)::float8 AS now');
  return Number(rows[0].now);
}

/** Each line's head (lowest seq still pending or sending). */
async function heads(s: DeliveryStack, destinations: string[]): Promise<Head[]> {
  const { rows } = await s.gw.ctx.db.query<Head>(
    `SELECT h.id, h.destination_id, h.outage_key, (extract(epoch FROM h.run_at) * 1000)::float8 AS run_at, h.attempts
     FROM unnest($1::text[]) AS t(id)
     CROSS JOIN LATERAL (SELECT d.* FROM deliveries d WHERE d.destination_id = t.id AND d.status IN ('pending', 'sending') ORDER BY d.seq LIMIT 1) h`,
    [destinations],
  );
  return rows.map((r) => ({ ...r, run_at: Number(r.run_at) }));
}

async function failedAttempts(s: DeliveryStack, destinations: string[]): Promise<number> {
  const { rows } = await s.gw.ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM delivery_attempts WHERE destination_id = ANY($1) AND outcome = 'retry'`,
    [destinations],
  );
  return rows[0].n;
}

describe.each(databaseKinds)('a two-minute Slack outage on %s', (kind) => {
  let s: DeliveryStack;
  beforeAll(async () => {
    // The real retry schedule (5 s, 30 s, 2 min…): the clock is moved, nothing waits for it.
    s = await startDeliveryStack(kind, { gateway: { retryDelayScale: 1 } });
  });
  afterAll(async () => s?.close());

  /** Moves the queue's clock forward by ms, then wakes the worker. */
  async function advance(ms: number): Promise<void> {
    const { db } = s.gw.ctx;
    s.gw.clock.advance(ms);
    const back = (column: string) => `${column} = ${column} - $1 * interval '1 millisecond'`;
    await db.query(
      `UPDATE deliveries SET ${back('run_at')}, ${back('created_at')}, ${back('requeued_at')}, ${back('expires_at')}
       WHERE status IN ('pending', 'sending')`,
      [ms],
    );
    await db.query(`UPDATE outages SET ${back('started_at')}, ${back('last_failure_at')}, ${back('probe_at')}`, [ms]);
    await db.query(`UPDATE pacing_buckets SET ${back('tat')}, ${back('paused_until')}`, [ms]);
    s.gw.worker!.wake();
  }

  /** How far the clock must move for every outage's next probe to be due (probes space out as an outage lasts). */
  async function untilNextProbes(): Promise<number> {
    const { rows } = await s.gw.ctx.db.query<{ ms: number }>(`SELECT (extract(epoch FROM max(probe_at) - now()) * 1000)::float8 AS ms FROM outages`);
    return Math.max(0, Math.ceil(Number(rows[0].ms))) + 1;
  }

  /** Waits until the worker has done everything due now: nothing due, nothing in flight. */
  async function quiet(): Promise<void> {
    const { db, config } = s.gw.ctx;
    await eventually(async () => {
      // In this order: something claimed between the two reads shows up as sending.
      const next = await nextClaimAt(db, pacingRules(config.delivery));
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'sending'`);
      const now = await dbNow(s);
      expect(next === undefined || next > now, 'nothing due').toBe(true);
      expect(rows[0].n, 'nothing in flight').toBe(0);
    });
  }

  it('probes one head per outage every few seconds; once a probe gets through every waiting head is due at once and the lines drain in order', { timeout: 120_000 }, async () => {
    const { channels, webhookUrl, teamId } = s.slack.defaultWorkspace;
    const lines = [
      { line: 'general', channel: channels.general, id: await s.channelLine('general', channels.general) },
      { line: 'deploys', channel: channels.deployments, id: await s.channelLine('deploys', channels.deployments) },
      { line: 'approvals', channel: channels.approvals, id: await s.channelLine('approvals', channels.approvals) },
      { line: 'hook-a', channel: channels.alerts, id: await s.webhookLine('hook-a', webhookUrl) },
      { line: 'hook-b', channel: channels.alerts, id: await s.webhookLine('hook-b', webhookUrl) },
    ];
    const ids = lines.map((l) => l.id);
    const apiLines = ids.slice(0, 3);
    const hookLines = ids.slice(3);
    const keys = { api: `team:${teamId}`, hook: `hook:${teamId}` };

    // Slack answers 503 to every post of this workspace until the faults are cleared.
    await s.slack.control.addFault({ method: 'chat.postMessage', kind: 'http_error', status: 503, count: 100_000 });
    await s.slack.control.addFault({ webhook: '*', kind: 'http_error', status: 503, count: 100_000 });
    for (const l of lines) await s.send(l.line, 1, PER_LINE);

    // Every head fails once and waits on its workspace's outage (Web API and webhooks apart).
    await eventually(async () => {
      for (const h of await heads(s, ids)) expect(h.attempts, h.destination_id).toBeGreaterThanOrEqual(1);
    });
    await quiet();
    for (const h of await heads(s, ids)) expect(h.outage_key).toBe(apiLines.includes(h.destination_id) ? keys.api : keys.hook);
    const { rows: outages } = await s.gw.ctx.db.query<{ key: string; failures: number }>('SELECT key, failures FROM outages ORDER BY key');
    expect(outages).toEqual([
      { key: keys.hook, failures: hookLines.length },
      { key: keys.api, failures: apiLines.length },
    ]);

    // Their own backoff (5 s ± 20%) comes and goes: they are held, nothing is due before the probe.
    await advance(PROBE_MS / 2 + 1000);
    const now = await dbNow(s);
    for (const h of await heads(s, ids)) expect(h.run_at, 'its own backoff is over').toBeLessThan(now);
    expect(await nextClaimAt(s.gw.ctx.db, pacingRules(s.gw.ctx.config.delivery))).toBeGreaterThan(now);

    // Two minutes of outage, probe after probe.
    let elapsed = PROBE_MS / 2 + 1000;
    let first = true;
    while (elapsed < OUTAGE_MS) {
      const before = { api: await failedAttempts(s, apiLines), hook: await failedAttempts(s, hookLines) };
      const step = await untilNextProbes();
      expect(step, 'probes at least every OUTAGE_PROBE_SECONDS at first, then a sixth of the outage').toBeLessThanOrEqual(Math.max(PROBE_MS, (elapsed + PROBE_MS) / 6) + 1);
      await advance(step);
      elapsed += step;
      await eventually(async () => {
        expect(await failedAttempts(s, apiLines)).toBeGreaterThan(before.api);
        expect(await failedAttempts(s, hookLines)).toBeGreaterThan(before.hook);
      });
      await quiet();
      if (first) {
        // One probe per outage, not one try per head.
        expect(await failedAttempts(s, apiLines)).toBe(before.api + 1);
        expect(await failedAttempts(s, hookLines)).toBe(before.hook + 1);
        first = false;
      }
    }
    const { rows: still } = await s.gw.ctx.db.query<{ failures: number }>('SELECT failures FROM outages ORDER BY key');
    expect(still.map((o) => o.failures).every((n) => n > lines.length)).toBe(true);

    // Slack is back. Each head waits on the outage; the last probed ones also on their own
    // backoff, minutes away.
    await s.slack.control.clearFaults();
    const waiting = await heads(s, ids);
    expect(Math.max(...waiting.map((h) => h.run_at))).toBeGreaterThan(await dbNow(s) + (await untilNextProbes()));
    const destination = await s.api('GET', `/v1/destinations/${apiLines[0]}`);
    expect(destination.body.waiting_on_outage).toMatchObject({ key: keys.api, last_error: 'http_503' });
    expect(destination.body.waiting_on_outage.failures).toBeGreaterThan(lines.length);

    // The next probe of each outage gets through.
    await advance(await untilNextProbes());
    await eventually(async () => {
      for (const l of lines) expect(await s.posted(l.channel, l.line), l.line).toEqual(range(1, PER_LINE));
    });
    await eventually(async () => {
      for (const l of lines) expect((await s.deliveries(l.id)).every((d) => d.status === 'sent'), l.line).toBe(true);
    });
    const { rows: left } = await s.gw.ctx.db.query('SELECT key FROM outages');
    expect(left).toEqual([]);

    // Per outage: the probe went at its probe time; every other head was made due by the probe's
    // success, in the same statement (run_at = the probe's sent_at), not at its own backoff.
    const { rows: after } = await s.gw.ctx.db.query<{ id: string; run_ms: number; sent_ms: number }>(
      `SELECT id, (extract(epoch FROM run_at) * 1000)::float8 AS run_ms, (extract(epoch FROM sent_at) * 1000)::float8 AS sent_ms
       FROM deliveries WHERE id = ANY($1)`,
      [waiting.map((h) => h.id)],
    );
    const byId = new Map(after.map((r) => [r.id, { run: Number(r.run_ms), sent: Number(r.sent_ms) }]));
    for (const group of [apiLines, hookLines]) {
      const mine = waiting.filter((h) => group.includes(h.destination_id)).map((h) => byId.get(h.id)!);
      const sent = new Set(mine.map((h) => h.sent));
      const resumed = mine.filter((h) => sent.has(h.run));
      const probe = mine.filter((h) => !resumed.includes(h));
      expect(probe, 'one probe per outage, sent at its own time').toHaveLength(1);
      expect(resumed.map((h) => h.run), 'the others: due when the probe got through').toEqual(resumed.map(() => probe[0].sent));
    }
  });
});

describe.each(databaseKinds)('retry now and resume on %s', (kind) => {
  let s: DeliveryStack;
  let server: ServerType;
  let url: string;
  beforeAll(async () => {
    // Backoff a hundred times the real one (first retry after about 8 minutes, the probe every
    // 17): nothing is tried again unless an operator says so.
    s = await startDeliveryStack(kind, { gateway: { retryDelayScale: 100 } });
    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: s.gw.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await s?.close();
  });

  async function deliveryIds(destination: string): Promise<{ id: string; seq: string }[]> {
    const { rows } = await s.gw.ctx.db.query<{ id: string; seq: string }>('SELECT id, seq::text AS seq FROM deliveries WHERE destination_id = $1 ORDER BY seq', [destination]);
    return rows;
  }

  /** Sends 1..3 on a new line whose first post gets a 503; resolves once the head waits on its backoff. */
  async function lineWithFailedHead(line: string, channel: string): Promise<{ id: string; deliveries: { id: string; seq: string }[] }> {
    await s.slack.control.addFault({ method: 'chat.postMessage', kind: 'http_error', status: 503, count: 1 });
    const id = await s.channelLine(line, channel);
    await s.send(line, 1, 3);
    await eventually(async () => expect((await s.deliveries(id))[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'http_503' }));
    return { id, deliveries: await deliveryIds(id) };
  }

  it('retry now: a pending delivery waiting on its backoff goes at once, in its place; one waiting for its turn is refused', async () => {
    const { channels } = s.slack.defaultWorkspace;
    const { id, deliveries } = await lineWithFailedHead('now', channels.general);
    const [head, second] = deliveries;

    const turn = await s.api('POST', `/v1/deliveries/${second.id}/retry`);
    expect(turn.status).toBe(409);
    expect(turn.body.error.message).toContain('already waiting in line');

    const before = await dbNow(s);
    const retried = await s.api('POST', `/v1/deliveries/${head.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.id).toBe(head.id);
    expect(['pending', 'sending', 'sent']).toContain(retried.body.status); // due now: the worker may have it already
    expect(Date.parse(retried.body.run_at)).toBeLessThanOrEqual(await dbNow(s));
    expect(Date.parse(retried.body.run_at)).toBeGreaterThanOrEqual(Math.floor(before) - 1);

    await eventually(async () => expect(await s.posted(channels.general, 'now')).toEqual(range(1, 3)));
    expect(await deliveryIds(id), 'seq unchanged').toEqual(deliveries);
    // Slack shows a message a moment before its send is recorded.
    await eventually(async () => expect((await s.deliveries(id)).map((d) => [d.n, d.status, d.attempts])).toEqual([[1, 'sent', 2], [2, 'sent', 1], [3, 'sent', 1]]));
    const again = await s.api('POST', `/v1/deliveries/${head.id}/retry`);
    expect(again.status).toBe(409);
  });

  it('resume: every waiting delivery of a destination is due now, in order; a needs_attention hold is lifted', async () => {
    const { channels, teamId } = s.slack.defaultWorkspace;
    const { id, deliveries } = await lineWithFailedHead('resume', channels.deployments);
    // One failure, answered by no other: not an outage yet, the head waits on its own backoff.
    const shown = await s.api('GET', `/v1/destinations/${id}`);
    expect(shown.body.waiting_on_outage).toBeNull();

    const resumed = await s.api('POST', `/v1/destinations/${id}/resume`);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body).toMatchObject({ hold_lifted: false, resumed: 1, delivery_ids: [deliveries[0].id], destination: { id, status: 'active' } });
    await eventually(async () => expect(await s.posted(channels.deployments, 'resume')).toEqual(range(1, 3)));
    expect(await deliveryIds(id)).toEqual(deliveries);

    // Held: the channel is archived. Unarchived, `switchboard deliveries resume` lifts the hold.
    await s.slack.control.setChannelArchived(teamId, 'deployments', true);
    await s.send('resume', 4, 5);
    await eventually(async () => expect((await s.destination(id)).status).toBe('needs_attention'));
    await s.slack.control.setChannelArchived(teamId, 'deployments', false);
    let stdout = '';
    const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, now: () => Date.now() };
    const program = new Command().exitOverride();
    registerDeliveriesCommands(program, io);
    await program.parseAsync(['deliveries', 'resume', '--destination', id, '--api-url', url, '--api-key', s.project.key], { from: 'user' });
    expect(stdout).toBe(`${id} is active again; its held messages are tried now.\nNothing of ${id} was waiting on a retry.\n`);
    await eventually(async () => expect(await s.posted(channels.deployments, 'resume')).toEqual(range(1, 5)));

    const missing = await s.api('POST', '/v1/destinations/dst_nope/resume');
    expect(missing.status).toBe(404);
  });
});
