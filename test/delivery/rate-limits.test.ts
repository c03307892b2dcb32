/**
 * Slack's rate limits. A 429 pauses exactly the bucket of the destination that got it for
 * Retry-After seconds ("Slack will return a HTTP 429 ... and a Retry-After HTTP header containing
 * the number of seconds until you can retry" [D-RATE]); other destinations keep flowing, and the
 * message goes once the wait is over. With our default pacing under Slack's own limits, no 429
 * happens at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { eventually, range, startDeliveryStack, type DeliveryStack } from './delivery-stack.ts';

interface AttemptTimes {
  n: number;
  outcome: string;
  http_status: number | null;
  at: number;
}

describe.each(databaseKinds)('rate limits on %s', (kind) => {
  let s: DeliveryStack;
  beforeAll(async () => {
    // Our pace (50/s per destination) is far faster than the emulator's below, on purpose.
    s = await startDeliveryStack(kind, { emulator: { rateLimits: { enabled: false } } });
  });
  afterAll(async () => s?.close());

  async function attemptTimes(destinationId: string): Promise<AttemptTimes[]> {
    const { rows } = await s.gw.ctx.db.query<AttemptTimes>(
      `SELECT (e.data->>'n')::int AS n, a.outcome, a.http_status, (extract(epoch FROM a.started_at) * 1000)::float8 AS at
       FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id
       WHERE a.destination_id = $1 ORDER BY a.started_at`,
      [destinationId],
    );
    return rows;
  }

  for (const via of ['web_api', 'webhook'] as const) {
    it(`${via}: a 429 pauses that destination for Retry-After, other channels keep flowing, the message goes after the wait`, async () => {
      const { channels } = s.slack.defaultWorkspace;
      await s.slack.control.setRateLimits(s.teamId, { enabled: true, channel_per_second: 1, channel_burst: 1, workspace_per_minute: 1000 });
      const hook = via === 'webhook' ? await s.slack.control.createWebhook(s.teamId, { channel: channels.random }) : undefined;
      const limited = hook ? await s.webhookLine(`${via}-limited`, hook.url) : await s.channelLine(`${via}-limited`, channels.random);
      const other = await s.channelLine(`${via}-other`, channels.leadership);

      await s.send(`${via}-limited`, 1, 3);
      const first429 = await eventually(async () => {
        const found = (await attemptTimes(limited)).find((a) => a.outcome === 'rate_limited');
        expect(found).toBeDefined();
        return found!;
      });
      expect(first429.http_status).toBe(429);
      const { rows: bucket } = await s.gw.ctx.db.query<{ paused_ms: number }>(
        `SELECT (extract(epoch FROM paused_until) * 1000)::float8 AS paused_ms FROM pacing_buckets WHERE key = $1`,
        [`dst:${limited}`],
      );
      expect(bucket[0].paused_ms).toBeGreaterThan(first429.at);

      // While the limited destination waits, another channel's message goes straight through.
      await s.send(`${via}-other`, 1);
      await eventually(async () => expect(await s.posted(channels.leadership, `${via}-other`)).toEqual([1]));

      await eventually(async () => expect(await s.posted(channels.random, `${via}-limited`)).toEqual(range(1, 3)), 20_000);
      await eventually(async () => expect((await s.deliveries(limited)).map((d) => d.status)).toEqual(['sent', 'sent', 'sent']));
      const limitedAttempts = await attemptTimes(limited);
      const otherSent = (await attemptTimes(other)).find((a) => a.outcome === 'sent')!;
      const resumed = limitedAttempts.find((a) => a.n === first429.n && a.outcome === 'sent')!;
      expect(otherSent.at, 'the other channel did not wait for the paused one').toBeLessThan(resumed.at);
      // Emulator Retry-After is whole seconds, at least 1.
      expect(resumed.at - first429.at).toBeGreaterThanOrEqual(1000);
      // A 429 is not a failed attempt: every delivery made exactly one attempt that counts.
      // A 429 is not a failed attempt: a delivery's attempts count only the answers that were not 429s.
      const log = await s.attempts(limited);
      expect(log.filter((a) => a.outcome === 'rate_limited').length).toBeGreaterThan(0);
      for (const d of await s.deliveries(limited)) {
        expect(d.attempts).toBe(log.filter((a) => a.n === d.n && a.outcome !== 'rate_limited').length);
      }
      await s.slack.control.setRateLimits(s.teamId, { enabled: false });
    });
  }
});

describe.each(databaseKinds)('default pacing at Slack limits on %s', (kind) => {
  let s: DeliveryStack;
  beforeAll(async () => {
    const { delivery } = loadConfig({});
    // The emulator at Slack's documented pace (1 message/s per channel, short bursts) and our
    // pacing at its defaults: a backlog drains without a single 429.
    s = await startDeliveryStack(kind, {
      emulator: { rateLimits: { enabled: true } },
      delivery: {
        perDestinationPerSecond: delivery.perDestinationPerSecond,
        perDestinationBurst: delivery.perDestinationBurst,
        perWorkspacePerMinute: delivery.perWorkspacePerMinute,
        perWorkspaceBurst: delivery.perWorkspaceBurst,
      },
    });
  });
  afterAll(async () => s?.close());

  it('a backlog of 6 messages to each of two channels and a webhook drains with no 429', { timeout: 30_000 }, async () => {
    const { channels, webhookUrl } = s.slack.defaultWorkspace;
    await s.channelLine('paced-a', channels.general);
    await s.channelLine('paced-b', channels.deployments);
    await s.webhookLine('paced-hook', webhookUrl);
    for (const line of ['paced-a', 'paced-b', 'paced-hook']) await s.send(line, 1, 6);
    await eventually(async () => {
      expect(await s.posted(channels.general, 'paced-a')).toEqual(range(1, 6));
      expect(await s.posted(channels.deployments, 'paced-b')).toEqual(range(1, 6));
      expect(await s.posted(channels.alerts, 'paced-hook')).toEqual(range(1, 6));
    }, 20_000);
    const counters = await s.slack.control.counters();

    expect(counters.rate_limited.total).toBe(0);
  });
});
