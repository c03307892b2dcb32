/**
 * conversations.list / info / join / open and users.info / lookupByEmail through the official
 * WebClient: cursor pagination, conversation types and the scope each needs, joining, DMs, and
 * emails shown only with users:read.email.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorWebClient, startEmulator, type StartedEmulator, slackPlatformError } from '../helpers/emulator.ts';

let slack: StartedEmulator;
let web: WebClient;
let team: string;
let ch: Record<string, string>;
let users: Record<string, string>;

beforeAll(async () => {
  slack = await startEmulator({ rateLimits: { enabled: false } });
  team = slack.defaultWorkspace.teamId;
  ch = slack.defaultWorkspace.channels;
  users = slack.defaultWorkspace.users;
});
afterAll(() => slack.close());
beforeEach(async () => {
  await slack.control.reset();
  web = emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken);
});

const slackError = slackPlatformError;

async function narrowClient(scopes: string[]): Promise<WebClient> {
  const ws = await slack.control.createWorkspace({ users: [{ name: 'erin', email: 'erin@example.com' }], apps: [{ name: 'Narrow', scopes }] });
  return emulatorWebClient(slack.apiUrl, ws.bot_token);
}

describe('conversations.list', () => {
  it('lists public channels by default, with is_member for the bot', async () => {
    const res = await web.conversations.list();
    expect(res.channels?.map((c) => c.name)).toEqual(['general', 'alerts', 'deployments', 'approvals', 'random']);
    expect(res.channels?.find((c) => c.name === 'random')?.is_member).toBe(false);
    expect(res.channels?.find((c) => c.name === 'general')).toMatchObject({ is_general: true, is_member: true, is_private: false, is_channel: true });
    expect(res.response_metadata?.next_cursor).toBe('');
  });

  it('pages with limit and cursor until next_cursor is empty', async () => {
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await web.conversations.list({ limit: 2, cursor, types: 'public_channel,private_channel' });
      names.push(...(res.channels ?? []).map((c) => c.name as string));
      cursor = res.response_metadata?.next_cursor || undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(names).toEqual(['general', 'alerts', 'deployments', 'approvals', 'random', 'leadership']);
  });

  it('honours exclude_archived and answers invalid_cursor / invalid_types', async () => {
    await slack.control.setChannelArchived(team, 'deployments', true);
    expect((await web.conversations.list({ exclude_archived: true })).channels?.map((c) => c.name)).not.toContain('deployments');
    expect((await web.conversations.list()).channels?.find((c) => c.name === 'deployments')?.is_archived).toBe(true);
    expect((await slackError(web.conversations.list({ cursor: 'bm90LWEtY3Vyc29y' }))).error).toBe('invalid_cursor');
    expect((await slackError(web.conversations.list({ types: 'public_channel,secret' }))).error).toBe('invalid_types');
  });

  it('needs the read scope of every type asked for', async () => {
    const narrow = await narrowClient(['channels:read']);
    expect((await narrow.conversations.list()).ok).toBe(true);
    expect(await slackError(narrow.conversations.list({ types: 'public_channel,private_channel' }))).toMatchObject({ error: 'missing_scope', needed: 'groups:read', provided: 'channels:read' });
  });

  it('lists IMs the bot has open when asked for im', async () => {
    await web.conversations.open({ users: users.alice });
    const res = await web.conversations.list({ types: 'im' });
    expect(res.channels).toEqual([expect.objectContaining({ is_im: true, user: users.alice })]);
  });
});

describe('conversations.info', () => {
  it('describes a channel, and hides a private channel the bot is not in', async () => {
    expect((await web.conversations.info({ channel: ch.alerts })).channel).toMatchObject({ id: ch.alerts, name: 'alerts', is_member: true });
    await slack.control.setBotMember(team, 'leadership', false);
    expect((await slackError(web.conversations.info({ channel: ch.leadership }))).error).toBe('channel_not_found');
  });

  it('needs channels:read for a public channel', async () => {
    const narrow = await narrowClient(['chat:write']);
    const general = (await slack.control.workspaces()).at(-1)!.channels[0].id;
    expect(await slackError(narrow.conversations.info({ channel: general }))).toMatchObject({ error: 'missing_scope', needed: 'channels:read' });
  });
});

describe('conversations.join', () => {
  it('joins a public channel, then warns already_in_channel', async () => {
    const res = await web.conversations.join({ channel: ch.random });
    expect(res.channel).toMatchObject({ id: ch.random, is_member: true });
    const again = await web.conversations.join({ channel: ch.random });
    expect(again).toMatchObject({ ok: true, warning: 'already_in_channel' });
    expect(again.response_metadata?.warnings).toEqual(['already_in_channel']);
  });

  it('answers method_not_supported_for_channel_type for a private channel and is_archived for an archived one', async () => {
    expect((await slackError(web.conversations.join({ channel: ch.leadership }))).error).toBe('method_not_supported_for_channel_type');
    await slack.control.setChannelArchived(team, 'random', true);
    expect((await slackError(web.conversations.join({ channel: ch.random }))).error).toBe('is_archived');
  });

  it('needs channels:join', async () => {
    const narrow = await narrowClient(['chat:write']);
    const general = (await slack.control.workspaces()).at(-1)!.channels[0].id;
    expect(await slackError(narrow.conversations.join({ channel: general }))).toMatchObject({ error: 'missing_scope', needed: 'channels:join,channels:write' });
  });
});

describe('conversations.open', () => {
  it('opens a DM once, then answers already_open', async () => {
    const first = await web.conversations.open({ users: users.bob });
    expect(first.channel?.id).toMatch(/^D[A-Z0-9]{8,}$/);
    const again = await web.conversations.open({ users: users.bob, return_im: true });
    expect(again).toMatchObject({ ok: true, no_op: true, already_open: true, channel: { id: first.channel?.id, is_im: true, user: users.bob } });
  });

  it('answers users_list_not_supplied, user_not_found, and missing_scope without im:write', async () => {
    expect((await slackError(web.conversations.open({} as never))).error).toBe('users_list_not_supplied');
    expect((await slackError(web.conversations.open({ users: 'U0NOBODY00' }))).error).toBe('user_not_found');
    const narrow = await narrowClient(['chat:write']);
    const erin = (await slack.control.workspaces()).at(-1)!.users.find((u) => u.name === 'erin')!.id;
    expect((await slackError(narrow.conversations.open({ users: erin }))).error).toBe('missing_scope');
  });
});

describe('users.info and users.lookupByEmail', () => {
  it('describes a person, with the email only when the token has users:read.email', async () => {
    const res = await web.users.info({ user: users.alice });
    expect(res.user).toMatchObject({ id: users.alice, name: 'alice', real_name: 'Alice Admin', is_admin: true, is_bot: false, profile: { email: 'alice@example.com' } });
    const narrow = await narrowClient(['users:read']);
    const erin = (await slack.control.workspaces()).at(-1)!.users.find((u) => u.name === 'erin')!.id;
    expect((await narrow.users.info({ user: erin })).user?.profile?.email).toBeUndefined();
  });

  it('answers user_not_found for nobody', async () => {
    expect((await slackError(web.users.info({ user: 'U0NOBODY00' }))).error).toBe('user_not_found');
  });

  it('finds a person by email (case-insensitively) and answers users_not_found otherwise', async () => {
    expect((await web.users.lookupByEmail({ email: 'Carol@Example.com' })).user?.id).toBe(users.carol);
    expect((await slackError(web.users.lookupByEmail({ email: 'nobody@example.com' }))).error).toBe('users_not_found');
  });

  it('lookupByEmail needs users:read.email', async () => {
    const narrow = await narrowClient(['users:read']);
    expect(await slackError(narrow.users.lookupByEmail({ email: 'erin@example.com' }))).toMatchObject({ error: 'missing_scope', needed: 'users:read.email' });
  });
});
