/**
 * chat.postMessage, chat.update, chat.delete, chat.postEphemeral and chat.getPermalink through the
 * official WebClient: what gets posted (seen through the control API) and Slack's errors for each.
 * Rate limits are off here; rate-limits.test.ts is about them.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorWebClient, startEmulator, type StartedEmulator, slackPlatformError } from '../helpers/emulator.ts';

let slack: StartedEmulator;
let web: WebClient;
let team: string;
let ch: Record<string, string>;

beforeAll(async () => {
  slack = await startEmulator({ rateLimits: { enabled: false } });
  team = slack.defaultWorkspace.teamId;
  ch = slack.defaultWorkspace.channels;
});
afterAll(() => slack.close());
beforeEach(async () => {
  await slack.control.reset();
  web = emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken);
});

const slackError = slackPlatformError;

/** A workspace whose only app has exactly these scopes, and a #ops channel the bot is not in. */
async function narrowWorkspace(scopes: string[]) {
  const ws = await slack.control.createWorkspace({
    users: [{ name: 'dana', email: 'dana@example.com' }],
    apps: [{ name: 'Narrow', scopes }],
    channels: [{ name: 'general', is_general: true }, { name: 'ops', bot_member: false }],
  });
  return { ws, web: emulatorWebClient(slack.apiUrl, ws.bot_token), ops: ws.channels.find((c) => c.name === 'ops')!.id };
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('chat.postMessage', () => {
  it('posts text and blocks as the bot and answers Slack’s shape', async () => {
    const res = await web.chat.postMessage({ channel: ch.alerts, text: 'Deploy finished', blocks: [section('*Deploy* finished')] });
    expect(res).toMatchObject({ ok: true, channel: ch.alerts, message: { type: 'message', text: 'Deploy finished', bot_id: expect.stringMatching(/^B/), user: slack.defaultWorkspace.botUserId } });
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    const { messages } = await slack.control.messages(team, 'alerts');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ts: res.ts, text: 'Deploy finished', blocks: [section('*Deploy* finished')], source: 'web_api' });
  });

  it('accepts a channel name and a user id (posting to the app’s DM with that person)', async () => {
    const byName = await web.chat.postMessage({ channel: '#deployments', text: 'by name' });
    expect(byName.channel).toBe(ch.deployments);
    const dm = await web.chat.postMessage({ channel: slack.defaultWorkspace.users.bob, text: 'hello Bob' });
    expect(dm.channel).toMatch(/^D/);
    expect((await slack.control.messages(team, dm.channel as string)).messages[0].text).toBe('hello Bob');
  });

  it('replies in a thread, and a broadcast reply also shows in the channel', async () => {
    const root = await web.chat.postMessage({ channel: ch.alerts, text: 'root' });
    const reply = await web.chat.postMessage({ channel: ch.alerts, text: 'reply', thread_ts: root.ts });
    expect(reply.message).toMatchObject({ thread_ts: root.ts, parent_user_id: slack.defaultWorkspace.botUserId });
    await web.chat.postMessage({ channel: ch.alerts, text: 'shout', thread_ts: reply.ts as string, reply_broadcast: true });
    const { messages } = await slack.control.messages(team, 'alerts');
    expect(messages.map((m) => m.text)).toEqual(['root']);
    expect(messages[0].replies?.map((r) => [r.text, r.reply_broadcast])).toEqual([
      ['reply', false],
      ['shout', true],
    ]);
    const page = slack.emulator.pageSource.workspaces()[0].channels.find((c) => c.id === ch.alerts)!;
    expect(page.messages.map((m) => m.text)).toEqual(['root', 'shout']);
  });

  it('posts a reply to a deleted parent in the channel (ok, no thread_ts), unless replies keep its thread', async () => {
    const gone = await web.chat.postMessage({ channel: ch.alerts, text: 'gone' });
    await web.chat.delete({ channel: ch.alerts, ts: gone.ts as string });
    const orphan = await web.chat.postMessage({ channel: ch.alerts, text: 'orphan', thread_ts: gone.ts as string });
    expect(orphan.ok).toBe(true);
    expect(orphan.message?.thread_ts).toBeUndefined();
    expect((await slackError(web.chat.update({ channel: ch.alerts, ts: gone.ts as string, text: 'x' }))).error).toBe('message_not_found');

    const kept = await web.chat.postMessage({ channel: ch.alerts, text: 'kept' });
    await web.chat.postMessage({ channel: ch.alerts, text: 'first reply', thread_ts: kept.ts as string });
    await web.chat.delete({ channel: ch.alerts, ts: kept.ts as string });
    const late = await web.chat.postMessage({ channel: ch.alerts, text: 'late reply', thread_ts: kept.ts as string });
    expect(late.message?.thread_ts).toBe(kept.ts); // the tombstone keeps its thread
    const { messages } = await slack.control.messages(team, 'alerts');
    expect(messages.filter((m) => !m.deleted).map((m) => m.text)).toEqual(['orphan']);
    expect(messages.find((m) => m.ts === kept.ts)?.replies?.map((r) => r.text)).toEqual(['first reply', 'late reply']);
  });

  it('answers not_in_channel in a public channel the bot has not joined, without chat:write.public', async () => {
    const narrow = await narrowWorkspace(['chat:write']);
    expect((await slackError(narrow.web.chat.postMessage({ channel: narrow.ops, text: 'x' }))).error).toBe('not_in_channel');
  });

  it('posts to a public channel the bot has not joined when the token has chat:write.public', async () => {
    expect((await web.chat.postMessage({ channel: ch.random, text: 'drive-by' })).ok).toBe(true);
  });

  it('answers missing_scope with needed and provided when chat:write is missing', async () => {
    const narrow = await narrowWorkspace(['channels:read']);
    expect(await slackError(narrow.web.chat.postMessage({ channel: narrow.ops, text: 'x' }))).toMatchObject({ error: 'missing_scope', needed: 'chat:write', provided: 'channels:read' });
  });

  it('answers is_archived in an archived channel and channel_not_found in a deleted or unknown one', async () => {
    await slack.control.setChannelArchived(team, 'deployments', true);
    expect((await slackError(web.chat.postMessage({ channel: ch.deployments, text: 'x' }))).error).toBe('is_archived');
    await slack.control.deleteChannel(team, 'approvals');
    expect((await slackError(web.chat.postMessage({ channel: ch.approvals, text: 'x' }))).error).toBe('channel_not_found');
    expect((await slackError(web.chat.postMessage({ channel: 'C0NOTTHERE', text: 'x' }))).error).toBe('channel_not_found');
  });

  it('hides private channels the bot is not in (channel_not_found)', async () => {
    await slack.control.setBotMember(team, 'leadership', false);
    expect((await slackError(web.chat.postMessage({ channel: ch.leadership, text: 'x' }))).error).toBe('channel_not_found');
  });

  it('answers no_text with nothing to show, invalid_blocks with each problem and its pointer', async () => {
    expect((await slackError(web.chat.postMessage({ channel: ch.alerts } as never))).error).toBe('no_text');
    const bad = await slackError(web.chat.postMessage({ channel: ch.alerts, text: 'x', blocks: [{ type: 'sections' } as never] }));
    expect(bad.error).toBe('invalid_blocks');
    expect(bad.response_metadata?.messages?.[0]).toMatch(/^\[ERROR\] .+ \[json-pointer:\/blocks\/0\/type\]$/);
  });

  it('answers invalid_blocks_format for blocks that are not JSON, too_many_attachments over 100', async () => {
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.defaultWorkspace.botToken}` },
      body: new URLSearchParams({ channel: ch.alerts, text: 'x', blocks: '[{not json' }),
    });
    expect((await res.json()).error).toBe('invalid_blocks_format');
    const attachments = Array.from({ length: 101 }, (_, i) => ({ text: `a${i}` }));
    expect((await slackError(web.chat.postMessage({ channel: ch.alerts, text: 'x', attachments }))).error).toBe('too_many_attachments');
  });

  it('truncates text over 40,000 characters instead of refusing it', async () => {
    const res = await web.chat.postMessage({ channel: ch.alerts, text: 'a'.repeat(40_050) });
    expect(res.ok).toBe(true);
    expect((res.message?.text ?? '').length).toBe(40_000);
  });

  it('ignores username and icon without chat:write.customize, and uses them with it', async () => {
    const plain = await web.chat.postMessage({ channel: ch.alerts, text: 'x', username: 'Pretender', icon_emoji: ':ghost:' });
    expect(plain.message?.username).toBeUndefined();
    const custom = await narrowWorkspace(['chat:write', 'chat:write.public', 'chat:write.customize']);
    const res = await custom.web.chat.postMessage({ channel: custom.ops, text: 'x', username: 'Deploy Bot', icon_emoji: ':rocket:' });
    expect(res.message).toMatchObject({ username: 'Deploy Bot', subtype: 'bot_message', icons: { emoji: ':rocket:' } });
  });
});

describe('chat.update', () => {
  it('edits the message, keeps the previous version, and marks it edited', async () => {
    const posted = await web.chat.postMessage({ channel: ch.approvals, text: 'Approval pending', blocks: [section('pending')] });
    const res = await web.chat.update({ channel: ch.approvals, ts: posted.ts as string, text: '✅ Approved by @alice', blocks: [] });
    expect(res).toMatchObject({ ok: true, channel: ch.approvals, ts: posted.ts, text: '✅ Approved by @alice' });
    const [m] = (await slack.control.messages(team, 'approvals')).messages;
    expect(m).toMatchObject({ text: '✅ Approved by @alice', edited: { user: slack.defaultWorkspace.botUserId } });
    expect(m.blocks).toBeUndefined();
    expect(m.history).toEqual([expect.objectContaining({ text: 'Approval pending', blocks: [section('pending')] })]);
  });

  it('answers msg_too_long over 4,000 characters', async () => {
    const posted = await web.chat.postMessage({ channel: ch.alerts, text: 'short' });
    expect((await slackError(web.chat.update({ channel: ch.alerts, ts: posted.ts as string, text: 'a'.repeat(4_001) }))).error).toBe('msg_too_long');
  });

  it('answers message_not_found for an unknown ts or an ephemeral message’s ts', async () => {
    expect((await slackError(web.chat.update({ channel: ch.alerts, ts: '1700000000.000001', text: 'x' }))).error).toBe('message_not_found');
    const eph = await web.chat.postEphemeral({ channel: ch.alerts, user: slack.defaultWorkspace.users.alice, text: 'only you' });
    expect((await slackError(web.chat.update({ channel: ch.alerts, ts: eph.message_ts as string, text: 'x' }))).error).toBe('message_not_found');
  });

  it('answers cant_update_message for another app’s message', async () => {
    const posted = await web.chat.postMessage({ channel: ch.alerts, text: 'mine' });
    const other = await slack.control.install(team, { name: 'Other App', scopes: ['chat:write'], join_channels: ['alerts'] });
    const otherWeb = emulatorWebClient(slack.apiUrl, other.bot_token);
    expect((await slackError(otherWeb.chat.update({ channel: ch.alerts, ts: posted.ts as string, text: 'hijack' }))).error).toBe('cant_update_message');
  });
});

describe('chat.delete', () => {
  it('deletes the message and answers channel and ts', async () => {
    const posted = await web.chat.postMessage({ channel: ch.alerts, text: 'oops' });
    expect(await web.chat.delete({ channel: ch.alerts, ts: posted.ts as string })).toMatchObject({ ok: true, channel: ch.alerts, ts: posted.ts });
    expect((await slack.control.messages(team, 'alerts')).messages[0].deleted).toBe(true);
    expect((await slackError(web.chat.delete({ channel: ch.alerts, ts: posted.ts as string }))).error).toBe('message_not_found');
  });

  it('answers cant_delete_message for another app’s message', async () => {
    const posted = await web.chat.postMessage({ channel: ch.alerts, text: 'mine' });
    const other = await slack.control.install(team, { name: 'Other App', scopes: ['chat:write'], join_channels: ['alerts'] });
    const otherWeb = emulatorWebClient(slack.apiUrl, other.bot_token);
    expect((await slackError(otherWeb.chat.delete({ channel: ch.alerts, ts: posted.ts as string }))).error).toBe('cant_delete_message');
  });
});

describe('chat.postEphemeral', () => {
  it('shows a message to one person and answers message_ts', async () => {
    const res = await web.chat.postEphemeral({ channel: ch.alerts, user: slack.defaultWorkspace.users.carol, text: 'only Carol sees this' });
    expect(res.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    const { messages, ephemeral } = await slack.control.messages(team, 'alerts');
    expect(messages).toHaveLength(0);
    expect(ephemeral).toEqual([expect.objectContaining({ user: slack.defaultWorkspace.users.carol, text: 'only Carol sees this' })]);
  });

  it('answers user_not_in_channel for someone outside the channel, user_not_found for nobody', async () => {
    expect((await slackError(web.chat.postEphemeral({ channel: ch.leadership, user: slack.defaultWorkspace.users.carol, text: 'x' }))).error).toBe('user_not_in_channel');
    expect((await slackError(web.chat.postEphemeral({ channel: ch.alerts, user: 'U0NOBODY00', text: 'x' }))).error).toBe('user_not_found');
  });
});

describe('chat.getPermalink', () => {
  it('answers a permalink for a message and message_not_found for an unknown ts', async () => {
    const posted = await web.chat.postMessage({ channel: ch.alerts, text: 'link me' });
    const res = await web.chat.getPermalink({ channel: ch.alerts, message_ts: posted.ts as string });
    expect(res.permalink).toBe(`${slack.url}/archives/${ch.alerts}/p${(posted.ts as string).replace('.', '')}`);
    const followed = await fetch(res.permalink as string, { redirect: 'manual' });
    expect(followed.headers.get('location')).toBe(`/?team=${team}&channel=${ch.alerts}`);
    expect((await slackError(web.chat.getPermalink({ channel: ch.alerts, message_ts: '1700000000.000001' }))).error).toBe('message_not_found');
  });
});
