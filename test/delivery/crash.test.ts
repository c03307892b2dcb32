/**
 * The process itself is the subject. A spawned `switchboard start` working through 5,000 queued
 * messages to 50 channels is killed with SIGKILL mid-run and started again: afterwards Slack holds
 * every message, each channel's first copies in exactly the order accepted, and the only repeats
 * are sends that were in flight at the kill (Slack got them, the dead process never recorded it).
 * And SIGTERM: the process stops within 10 s, its sends finished or put back, nothing repeated.
 * PostgreSQL only: the embedded database belongs to one process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postgresTestUrl } from '../helpers/databases.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { eventually, range, splitRepeats } from './delivery-stack.ts';
import { queueBacklog, spawnGateway, type Backlog } from './spawned-gateway.ts';

const CONCURRENCY = 50;

/** Pacing relaxed on both sides (Slack 100/s per channel, ours 95/s) so the run takes seconds. */
const RELAXED = { enabled: true, channel_per_second: 100, channel_burst: 10, workspace_per_minute: 6_000_000 };
const ENV = {
  SWITCHBOARD_DELIVERY_CONCURRENCY: String(CONCURRENCY),
  SWITCHBOARD_PACE_PER_SECOND: '95',
  SWITCHBOARD_PACE_BURST: '10',
  SWITCHBOARD_WORKSPACE_PER_MINUTE: '5700000',
  SWITCHBOARD_WORKSPACE_BURST: '1000',
  SWITCHBOARD_WORKER_STALE_SECONDS: '2',
  SWITCHBOARD_SEND_TIMEOUT_MS: '5000',
};

describe.skipIf(!postgresTestUrl)('a spawned gateway killed or stopped mid-run (PostgreSQL)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  async function setUp(lines: number, perLine: number): Promise<{ slack: StartedEmulator; backlog: Backlog; posts: () => number }> {
    const slack = await startEmulator({ rateLimits: RELAXED });
    cleanups.push(() => slack.close());
    const backlog = await queueBacklog(slack, lines, perLine);
    cleanups.push(() => backlog.close());
    const posts = () => slack.emulator.counters.snapshot().calls['chat.postMessage'] ?? 0;
    return { slack, backlog, posts };
  }

  async function start(slack: StartedEmulator, backlog: Backlog) {
    const gateway = await spawnGateway(slack, backlog, ENV);
    cleanups.push(() => gateway.cleanup());
    return gateway;
  }

  async function allSent(backlog: Backlog, total: number): Promise<void> {
    await eventually(async () => expect(await backlog.statuses()).toEqual({ sent: total }), 90_000, 250);
  }

  it('SIGKILL mid-run, then a restart: every message arrives, in order per channel; repeats at most the sends in flight', { timeout: 180_000 }, async () => {
    const { slack, backlog, posts } = await setUp(50, 100);
    const total = 50 * 100;

    const first = await start(slack, backlog);
    // The 50 channels advance in step (one message each per claim round, recorded together), so a
    // multiple of 50 posts is a moment with nothing in flight: kill half-way through a round.
    await eventually(() => expect(posts()).toBeGreaterThanOrEqual(total * 0.4 + CONCURRENCY / 2), 90_000, 2);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await backlog.statuses();
    const inFlight = atKill.sending ?? 0;
    expect(atKill.sent ?? 0, 'killed mid-run, with work left').toBeLessThan(total);

    const second = await start(slack, backlog);
    await allSent(backlog, total);

    let duplicates = 0;
    for (const [line, numbers] of await backlog.posted()) {
      const { firsts, repeats } = splitRepeats(numbers);
      expect(firsts, `${line}: every message once, in acceptance order`).toEqual(range(1, 100));
      duplicates += repeats.length;
    }
    console.log(
      `crash test: killed after ${atKill.sent ?? 0} of ${total} recorded as sent, ${inFlight} sends in flight at the kill; ` +
        `after the restart all ${total} arrived, ${duplicates} duplicate(s)`,
    );
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    expect(inFlight).toBeLessThanOrEqual(CONCURRENCY);
    // The restarted process released the dead one's claims: said so in its log.
    expect(second.output()).toMatch(/released deliveries claimed by a worker that stopped/);
  });

  it('SIGTERM mid-run: exits within 10 s leaving nothing claimed; a restart finishes with no repeats', { timeout: 120_000 }, async () => {
    const { slack, backlog, posts } = await setUp(10, 100);
    const total = 10 * 100;

    const first = await start(slack, backlog);
    await eventually(() => expect(posts()).toBeGreaterThanOrEqual(total * 0.3), 60_000, 2);
    const stopAsked = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - stopAsked, 'graceful shutdown takes at most 10 s').toBeLessThan(10_000);
    const atStop = await backlog.statuses();
    expect(atStop.sending, 'every claim finished or put back').toBeUndefined();
    expect(atStop.sent ?? 0).toBeLessThan(total);

    await start(slack, backlog);
    await allSent(backlog, total);
    for (const [line, numbers] of await backlog.posted()) expect(numbers, line).toEqual(range(1, 100));
  });
});
