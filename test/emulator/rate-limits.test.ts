/**
 * Slack's rate limits as the emulator applies them, seen by a sender: a burst to one channel gets
 * 429 with an integer Retry-After, pacing at one message a second gets none, webhooks share the
 * channel's pace, methods have per-workspace tier limits, and every 429 is counted. The official
 * WebClient's own handling of a 429 is shown both ways (reject at once / wait and retry).
 */
import { retryPolicies, WebClientEvent, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { emulatorWebClient, startEmulator, type StartedEmulator } from '../helpers/emulator.ts';

const clock = new ManualClock();
let slack: StartedEmulator;
let team: string;
let alerts: string;

beforeAll(async () => {
  slack = await startEmulator({ clock });
  team = slack.defaultWorkspace.teamId;
  alerts = slack.defaultWorkspace.channels.alerts;
});
afterAll(() => slack.close());
beforeEach(() => slack.control.reset());

function post(channel: string, text: string, token = slack.defaultWorkspace.botToken): Promise<Response> {
  return fetch(`${slack.apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel, text }),
  });
}

function hook(text: string): Promise<Response> {
  return fetch(slack.defaultWorkspace.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
}

describe('posting to a channel', () => {
  it('answers a burst of 20 in one second with 429, Retry-After and {"ok":false,"error":"ratelimited"}', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await post(alerts, `burst ${i}`);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
        expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
      }
    }
    const limited = statuses.filter((s) => s === 429).length;
    expect(limited).toBeGreaterThan(0);
    expect(statuses.slice(0, 20 - limited).every((s) => s === 200)).toBe(true);
    expect((await slack.control.messages(team, 'alerts')).messages).toHaveLength(20 - limited);
    const counters = await slack.control.counters();
    expect(counters.rate_limited.by_method['chat.postMessage']).toBe(limited);
    expect(counters.by_team[team].rate_limited).toBe(limited);
    expect(counters.calls['chat.postMessage']).toBe(20);
  });

  it('lets 20 messages through at one a second without a single 429', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await post(alerts, `paced ${i}`)).status).toBe(200);
      clock.advance(1_000);
    }
    expect((await slack.control.counters()).rate_limited.total).toBe(0);
  });

  it('paces each channel on its own', async () => {
    let limitedInAlerts = false;
    for (let i = 0; i < 10 && !limitedInAlerts; i++) limitedInAlerts = (await post(alerts, 'a')).status === 429;
    expect(limitedInAlerts).toBe(true);
    expect((await post(slack.defaultWorkspace.channels.deployments, 'elsewhere')).status).toBe(200);
  });

  it('shares the channel’s pace between chat.postMessage and its incoming webhook', async () => {
    let apiLimited = false;
    for (let i = 0; i < 10 && !apiLimited; i++) apiLimited = (await post(alerts, 'api')).status === 429;
    const res = await hook('via webhook');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.text()).toBe('rate_limited');
    clock.advance(1_000);
    expect((await hook('later')).status).toBe(200);
  });

  it('caps the whole workspace per minute across channels', async () => {
    await slack.control.setRateLimits(team, { workspace_per_minute: 4 });
    const channels = Object.values(slack.defaultWorkspace.channels).slice(0, 5);
    const statuses = [];
    for (const channel of channels) statuses.push((await post(channel, 'one each')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });
});

describe('per-method tiers', () => {
  it('limits conversations.list (Tier 2, 20 per minute) per workspace, leaving other methods and workspaces alone', async () => {
    const other = await slack.control.createWorkspace({ apps: [{ name: 'Other', scopes: ['channels:read'] }] });
    const list = (token: string) => fetch(`${slack.apiUrl}conversations.list`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 20; i++) expect((await list(slack.defaultWorkspace.botToken)).status).toBe(200);
    const limited = await list(slack.defaultWorkspace.botToken);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBe(3);
    expect((await list(other.bot_token as string)).status).toBe(200);
    expect((await post(alerts, 'still fine')).status).toBe(200);
    clock.advance(3_000);
    expect((await list(slack.defaultWorkspace.botToken)).status).toBe(200);
  });
});

describe('configuring limits through the control API', () => {
  it('changes one workspace’s limits, and turns them off entirely', async () => {
    expect((await slack.control.rateLimits(team)).channel_burst).toBe(3);
    await slack.control.setRateLimits(team, { channel_burst: 25 });
    for (let i = 0; i < 20; i++) expect((await post(alerts, `roomy ${i}`)).status).toBe(200);
    await slack.control.setRateLimits(team, { enabled: false });
    for (let i = 0; i < 30; i++) expect((await post(alerts, `unlimited ${i}`)).status).toBe(200);
  });

  it('rejects a setting it does not know or a value that is not a positive number', async () => {
    await expect(slack.control.setRateLimits(team, { channel_per_sec: 2 })).rejects.toThrow(/unknown rate limit setting channel_per_sec/);
    await expect(slack.control.setRateLimits(team, { channel_burst: 0 })).rejects.toThrow(/channel_burst must be a positive number/);
  });
});

describe('the official WebClient on a 429', () => {
  it('with rejectRateLimitedCalls rejects at once with slack_webapi_rate_limited_error and retryAfter', async () => {
    const web = emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken, { rejectRateLimitedCalls: true });
    let error: WebAPIRateLimitedError | undefined;
    for (let i = 0; i < 10 && !error; i++) {
      try {
        await web.chat.postMessage({ channel: alerts, text: `fast ${i}` });
      } catch (e) {
        error = e as WebAPIRateLimitedError;
      }
    }
    expect(error?.code).toBe('slack_webapi_rate_limited_error');
    expect(error?.retryAfter).toBe(1);
  });
});

describe('the official WebClient on a 429, with real time', () => {
  let real: StartedEmulator;
  beforeAll(async () => {
    real = await startEmulator();
  });
  afterAll(() => real.close());

  it('by default waits Retry-After, retries and succeeds', async () => {
    // rapidRetryPolicy only removes the client's extra backoff; the wait for Retry-After is the client's own.
    const web = emulatorWebClient(real.apiUrl, real.defaultWorkspace.botToken, { retryConfig: retryPolicies.rapidRetryPolicy });
    const events: number[] = [];
    web.on(WebClientEvent.RATE_LIMITED, (retryAfter: number) => events.push(retryAfter));
    const channel = real.defaultWorkspace.channels.deployments;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await web.chat.postMessage({ channel, text: `retry ${i}` }));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(events).toEqual([1]);
    expect((await real.control.messages(real.defaultWorkspace.teamId, 'deployments')).messages).toHaveLength(4);
  });
});
