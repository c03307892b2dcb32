/**
 * Two spawned `switchboard start` processes against one PostgreSQL share 5,000 queued messages to
 * 50 channels: none lost, none sent twice, each channel in acceptance order, and Slack (the
 * emulator) never answered 429, because both take their slots from the same pacing buckets in
 * the database. Limits are Slack's shape scaled up five times to finish in seconds: the emulator
 * allows 5 messages/s per channel with a burst of 3, we pace at 95% of that (as the defaults do at
 * 1/s) with the same burst; the workspace cap is raised so the channels are what binds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestUrl } from '../helpers/databases.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { eventually, range } from './delivery-stack.ts';
import { queueBacklog, spawnGateway, type Backlog } from './spawned-gateway.ts';

const LINES = 50;
const PER_LINE = 100;

describe.skipIf(!postgresTestUrl)('two processes, one PostgreSQL', () => {
  let slack: StartedEmulator;
  let backlog: Backlog;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    slack = await startEmulator({ rateLimits: { enabled: true, channel_per_second: 5, channel_burst: 3, workspace_per_minute: 60_000 } });
    backlog = await queueBacklog(slack, LINES, PER_LINE);
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await backlog?.close();
    await slack?.close();
  });

  it('deliver 5,000 messages to 50 channels: none lost, none twice, in order per channel, zero 429s', { timeout: 150_000 }, async () => {
    const env = {
      SWITCHBOARD_DELIVERY_CONCURRENCY: '50',
      SWITCHBOARD_PACE_PER_SECOND: '4.75',
      SWITCHBOARD_PACE_BURST: '3',
      SWITCHBOARD_WORKSPACE_PER_MINUTE: '57000',
      SWITCHBOARD_WORKSPACE_BURST: '60',
    };
    const started = Date.now();
    for (let i = 0; i < 2; i++) {
      const gateway = await spawnGateway(slack, backlog, env);
      cleanups.push(() => gateway.cleanup());
    }
    await eventually(async () => expect(await backlog.statuses()).toEqual({ sent: LINES * PER_LINE }), 120_000, 250);
    const seconds = (Date.now() - started) / 1000;

    const { rows: workers } = await backlog.gw.ctx.db.query<{ worker: string; n: number }>(
      `SELECT worker, count(*)::int AS n FROM delivery_attempts WHERE outcome = 'sent' GROUP BY worker ORDER BY worker`,
    );
    console.log(`two processes: ${LINES * PER_LINE} messages in ${seconds.toFixed(1)} s (${workers.map((w) => w.n).join(' + ')} per process)`);
    expect(workers, 'both processes sent their share').toHaveLength(2);
    expect(workers.every((w) => w.n > 0)).toBe(true);

    for (const [line, numbers] of await backlog.posted()) expect(numbers, `${line}: each message once, in order`).toEqual(range(1, PER_LINE));
    const counters = slack.emulator.counters.snapshot();
    expect(counters.calls['chat.postMessage']).toBe(LINES * PER_LINE);
    expect(counters.rate_limited.total, 'Slack never had to say 429').toBe(0);
  });
});
