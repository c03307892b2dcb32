/**
 * Order per channel while Slack misbehaves: about one post in ten answers a 5xx or hangs past
 * our send timeout (emulator faults, injected as the run goes). Every message still arrives, each
 * channel's first copies are in exactly the order the events were accepted, and the only repeats
 * are of messages whose send timed out (Slack posted them late: at least once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_COUNTER } from '../../emulator/rate-limits/call-counters.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { eventually, range, splitRepeats, startDeliveryStack, type DeliveryStack } from './delivery-stack.ts';

const PER_LINE = 60;
const TIMEOUT_MS = 300;

/**
 * Faults as the run goes: after every 5 to 15 posts of a kind (Web API, webhooks; a seeded
 * pseudo-random spacing, about one in ten) the next post of that kind answers HTTP 500, HTTP 503
 * or hangs past the send timeout, in turn. Never more than one waiting per kind, so faults
 * spread over the messages instead of piling onto whichever line happens to be retrying.
 */
function injectFaults(s: DeliveryStack): { stop(): void; injected: () => number } {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const { faults, counters } = s.slack.emulator;
  const kinds = [
    { name: 'chat.postMessage', target: { method: 'chat.postMessage' }, next: 5, turn: 0 },
    { name: WEBHOOK_COUNTER, target: { webhook: '*' }, next: 5, turn: 1 },
  ];
  const shapes = [{ kind: 'http_error', status: 500 }, { kind: 'http_error', status: 503 }, { kind: 'hang', hang_ms: TIMEOUT_MS * 3 }] as const;
  let injected = 0;
  const timer = setInterval(() => {
    const calls = counters.snapshot().calls;
    const waiting = faults.list();
    for (const k of kinds) {
      const posts = calls[k.name] ?? 0;
      const oneWaiting = waiting.some((f) => ('method' in k.target ? f.method !== undefined : f.webhook !== undefined));
      if (posts < k.next || oneWaiting) continue;
      k.next = posts + 5 + Math.floor(random() * 11);
      faults.add({ ...k.target, ...shapes[k.turn++ % shapes.length] });
      injected++;
    }
  }, 2);
  return { stop: () => clearInterval(timer), injected: () => injected };
}

describe.each(databaseKinds)('order per channel under injected 5xx and timeouts on %s', (kind) => {
  let s: DeliveryStack;
  beforeAll(async () => {
    s = await startDeliveryStack(kind, { delivery: { sendTimeoutMs: TIMEOUT_MS } });
  });
  afterAll(async () => s?.close());

  it('delivers every message, in order per channel, repeating only sends that timed out', { timeout: 90_000 }, async () => {
    const { channels, webhookUrl } = s.slack.defaultWorkspace;
    const lines = [
      { line: 'general', channel: channels.general, id: await s.channelLine('general', channels.general) },
      { line: 'deploys', channel: channels.deployments, id: await s.channelLine('deploys', channels.deployments) },
      { line: 'approvals', channel: channels.approvals, id: await s.channelLine('approvals', channels.approvals) },
      { line: 'hook', channel: channels.alerts, id: await s.webhookLine('hook', webhookUrl) },
    ];
    const faults = injectFaults(s);
    try {
      // Accepted in interleaved chunks, as a busy host app would send them.
      for (let from = 1; from <= PER_LINE; from += 20) {
        for (const l of lines) await s.send(l.line, from, from + 19);
      }
      await eventually(async () => {
        for (const l of lines) expect((await s.deliveries(l.id)).every((d) => d.status === 'sent'), l.line).toBe(true);
      }, 60_000).catch(async (error) => {
        for (const l of lines) console.log(l.line, JSON.stringify((await s.deliveries(l.id)).filter((d) => d.status !== 'sent')), JSON.stringify((await s.attempts(l.id)).filter((a) => a.outcome !== 'sent')));
        throw error;
      });
    } finally {
      faults.stop();
    }

    let timeouts = 0;
    let serverErrors = 0;
    let repeated = 0;
    // Hung requests still post when they end: wait for the late copies before reading the channels.
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 3));
    for (const l of lines) {
      const attempts = await s.attempts(l.id);
      const timedOut = new Set(attempts.filter((a) => a.error?.startsWith('timeout')).map((a) => a.n));
      timeouts += timedOut.size;
      serverErrors += attempts.filter((a) => /^http_50[03]/.test(a.error ?? '')).length;
      const { firsts, repeats } = splitRepeats(await s.posted(l.channel, l.line));
      expect(firsts, `${l.line}: first copies in acceptance order`).toEqual(range(1, PER_LINE));
      for (const n of repeats) expect(timedOut, `${l.line}: #${n} repeated without a timeout`).toContain(n);
      repeated += repeats.length;
    }
    console.log(`faults injected: ${faults.injected()}; attempts that got a 5xx: ${serverErrors}, timed out: ${timeouts}; repeats in Slack: ${repeated}`);
    expect(serverErrors).toBeGreaterThan(0);
    expect(timeouts).toBeGreaterThan(0);
    expect(faults.injected()).toBeGreaterThanOrEqual((PER_LINE * lines.length) / 20);
  });
});
