/**
 * chat.scheduleMessage, chat.deleteScheduledMessage and chat.scheduledMessages.list, with time moved
 * by a ManualClock: messages post when due, and Slack's rules hold (time_in_past, time_too_far,
 * 30 per 5 minutes per channel, no deleting within 60 s of posting, metadata never posts).
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { emulatorWebClient, startEmulator, type StartedEmulator, slackPlatformError } from '../helpers/emulator.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 0, 0));
let slack: StartedEmulator;
let web: WebClient;
let team: string;
let alerts: string;
const now = () => Math.floor(clock.now() / 1000);

beforeAll(async () => {
  slack = await startEmulator({ clock });
  team = slack.defaultWorkspace.teamId;
  alerts = slack.defaultWorkspace.channels.alerts;
});
afterAll(() => slack.close());
beforeEach(async () => {
  await slack.control.reset();
  web = emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken);
});

const slackError = async (call: Promise<unknown>): Promise<string> => (await slackPlatformError(call)).error;

describe('chat.scheduleMessage', () => {
  it('answers Slack’s shape and posts the message when its time comes', async () => {
    const postAt = now() + 600;
    const res = await web.chat.scheduleMessage({ channel: alerts, text: 'Daily report', post_at: postAt });
    expect(res).toMatchObject({ ok: true, channel: alerts, post_at: postAt, message: { type: 'delayed_message', text: 'Daily report', user: slack.defaultWorkspace.botUserId } });
    expect(res.scheduled_message_id).toMatch(/^Q[A-Z0-9]{8,}$/);

    clock.advance(599_000);
    expect((await slack.control.messages(team, 'alerts')).messages).toHaveLength(0);
    clock.advance(1_000);
    const { messages } = await slack.control.messages(team, 'alerts');
    expect(messages).toEqual([expect.objectContaining({ text: 'Daily report', source: 'scheduled' })]);
    expect(await slack.control.scheduledMessages(team)).toEqual([expect.objectContaining({ id: res.scheduled_message_id, state: 'posted', posted_ts: messages[0].ts })]);
  });

  it('answers time_in_past, time_too_far beyond 120 days, and invalid_time for a non-number', async () => {
    expect(await slackError(web.chat.scheduleMessage({ channel: alerts, text: 'x', post_at: now() - 1 }))).toBe('time_in_past');
    expect(await slackError(web.chat.scheduleMessage({ channel: alerts, text: 'x', post_at: now() + 120 * 86_400 + 1 }))).toBe('time_too_far');
    expect((await web.chat.scheduleMessage({ channel: alerts, text: 'x', post_at: now() + 120 * 86_400 })).ok).toBe(true);
    expect(await slackError(web.chat.scheduleMessage({ channel: alerts, text: 'x', post_at: 'soon' as never }))).toBe('invalid_time');
  });

  it('answers restricted_too_many for a 31st message within five minutes in one channel', async () => {
    const base = now() + 3_600;
    for (let i = 0; i < 30; i++) await web.chat.scheduleMessage({ channel: alerts, text: `m${i}`, post_at: base + i * 5 });
    expect(await slackError(web.chat.scheduleMessage({ channel: alerts, text: 'one too many', post_at: base + 100 }))).toBe('restricted_too_many');
    // Outside every window holding the thirty, and in another channel, there is room.
    expect((await web.chat.scheduleMessage({ channel: alerts, text: 'later', post_at: base + 145 + 300 })).ok).toBe(true);
    expect((await web.chat.scheduleMessage({ channel: slack.defaultWorkspace.channels.general, text: 'elsewhere', post_at: base + 100 })).ok).toBe(true);
  });

  it('keeps Slack’s documented bug: a message scheduled with metadata never posts', async () => {
    await web.chat.scheduleMessage({ channel: alerts, text: 'with metadata', post_at: now() + 60, metadata: { event_type: 'report', event_payload: { id: 1 } } });
    clock.advance(61_000);
    expect((await slack.control.messages(team, 'alerts')).messages).toHaveLength(0);
  });

  it('drops pending messages of an app uninstalled before they come due', async () => {
    await web.chat.scheduleMessage({ channel: alerts, text: 'orphan', post_at: now() + 60 });
    await slack.control.uninstall(team, slack.defaultWorkspace.appId);
    clock.advance(61_000);
    expect((await slack.control.messages(team, 'alerts')).messages).toHaveLength(0);
  });

  it('applies the posting rules: not_in_channel, is_archived, no_text', async () => {
    const narrow = await slack.control.createWorkspace({ apps: [{ name: 'Narrow', scopes: ['chat:write'] }], channels: [{ name: 'general', is_general: true }, { name: 'ops', bot_member: false }] });
    const narrowWeb = emulatorWebClient(slack.apiUrl, narrow.bot_token);
    const ops = narrow.channels.find((c) => c.name === 'ops')!.id;
    expect(await slackError(narrowWeb.chat.scheduleMessage({ channel: ops, text: 'x', post_at: now() + 60 }))).toBe('not_in_channel');
    await slack.control.setChannelArchived(team, 'deployments', true);
    expect(await slackError(web.chat.scheduleMessage({ channel: slack.defaultWorkspace.channels.deployments, text: 'x', post_at: now() + 60 }))).toBe('is_archived');
    expect(await slackError(web.chat.scheduleMessage({ channel: alerts, post_at: now() + 60 } as never))).toBe('no_text');
  });
});

describe('chat.deleteScheduledMessage', () => {
  it('deletes a pending message so it never posts', async () => {
    const res = await web.chat.scheduleMessage({ channel: alerts, text: 'cancel me', post_at: now() + 600 });
    expect((await web.chat.deleteScheduledMessage({ channel: alerts, scheduled_message_id: res.scheduled_message_id as string })).ok).toBe(true);
    clock.advance(601_000);
    expect((await slack.control.messages(team, 'alerts')).messages).toHaveLength(0);
  });

  it('answers invalid_scheduled_message_id for an unknown id, a deleted one, or one due within 60 s', async () => {
    expect(await slackError(web.chat.deleteScheduledMessage({ channel: alerts, scheduled_message_id: 'Q0NOTTHERE' }))).toBe('invalid_scheduled_message_id');
    const soon = await web.chat.scheduleMessage({ channel: alerts, text: 'soon', post_at: now() + 60 });
    expect(await slackError(web.chat.deleteScheduledMessage({ channel: alerts, scheduled_message_id: soon.scheduled_message_id as string }))).toBe('invalid_scheduled_message_id');
    const later = await web.chat.scheduleMessage({ channel: alerts, text: 'later', post_at: now() + 61 });
    await web.chat.deleteScheduledMessage({ channel: alerts, scheduled_message_id: later.scheduled_message_id as string });
    expect(await slackError(web.chat.deleteScheduledMessage({ channel: alerts, scheduled_message_id: later.scheduled_message_id as string }))).toBe('invalid_scheduled_message_id');
  });
});

describe('chat.scheduledMessages.list', () => {
  it('lists pending messages soonest first, page by page', async () => {
    for (let i = 0; i < 3; i++) await web.chat.scheduleMessage({ channel: alerts, text: `m${i}`, post_at: now() + 600 - i * 60 });
    const first = await web.chat.scheduledMessages.list({ channel: alerts, limit: 2 });
    expect(first.scheduled_messages?.map((m) => m.text)).toEqual(['m2', 'm1']);
    expect(first.response_metadata?.next_cursor).toBeTruthy();
    const second = await web.chat.scheduledMessages.list({ channel: alerts, limit: 2, cursor: first.response_metadata?.next_cursor });
    expect(second.scheduled_messages?.map((m) => m.text)).toEqual(['m0']);
    expect(second.response_metadata?.next_cursor).toBe('');
  });

  it('answers invalid_channel for an unknown channel', async () => {
    expect(await slackError(web.chat.scheduledMessages.list({ channel: 'C0NOTTHERE' }))).toBe('invalid_channel');
  });
});
