/**
 * OAuth v2 end to end: the consent page, Allow / Cancel redirects with code and state, and
 * oauth.v2.access through the official WebClient — Slack's full answer, single-use codes that
 * expire after ten minutes, client credentials, redirect_uri checks, incoming webhooks created by
 * the install, and token rotation with short-lived tokens and refresh tokens.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import type { ControlApp } from '../../emulator/control/emulator-control-client.ts';
import { emulatorWebClient, startEmulator, type StartedEmulator, slackPlatformError } from '../helpers/emulator.ts';

const clock = new ManualClock();
const REDIRECT = 'https://app.example.com/slack/oauth/callback';
let slack: StartedEmulator;
let team: string;
let app: ControlApp;

beforeAll(async () => {
  slack = await startEmulator({ clock });
  team = slack.defaultWorkspace.teamId;
});
afterAll(() => slack.close());
beforeEach(async () => {
  await slack.control.reset();
  app = await slack.control.createApp({ name: 'Approvals', scopes: ['chat:write'], redirect_urls: ['https://app.example.com/slack/oauth'] });
});

function authorizeUrl(params: Record<string, string>): string {
  return `${slack.url}/oauth/v2/authorize?${new URLSearchParams(params)}`;
}

/** Presses Allow (or Cancel) on the consent page; answers the redirect's query parameters. */
async function consent(fields: Record<string, string>, decision: 'allow' | 'deny' = 'allow'): Promise<URLSearchParams> {
  const body = new URLSearchParams({ install_as: `${team}:${slack.defaultWorkspace.users.alice}`, ...fields, decision });
  const res = await fetch(`${slack.url}/oauth/v2/authorize`, { method: 'POST', body, redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') as string);
  return location.searchParams;
}

async function codeFor(scope: string, extra: Record<string, string> = {}, target: ControlApp = app): Promise<string> {
  const query = await consent({ client_id: target.client_id, scope, redirect_uri: REDIRECT, state: 'csrf-1', ...extra });
  expect(query.get('state')).toBe('csrf-1');
  return query.get('code') as string;
}

const slackError = async (call: Promise<unknown>): Promise<string> => (await slackPlatformError(call)).error;

const oauth = () => emulatorWebClient(slack.apiUrl);

describe('the consent page', () => {
  it('names the app, lists the permissions in plain words, offers a webhook channel and Allow / Cancel', async () => {
    const res = await fetch(authorizeUrl({ client_id: app.client_id, scope: 'chat:write,incoming-webhook', redirect_uri: REDIRECT, state: 's' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Approvals is requesting permission');
    expect(html).toContain('Send messages as the app');
    expect(html).toContain('Post messages to a specific channel');
    expect(html).toContain('#alerts (Emulated Workspace)');
    expect(html).toMatch(/<button[^>]*value="allow"[^>]*>Allow<\/button>/);
    expect(html).toMatch(/<button[^>]*value="deny"[^>]*>Cancel<\/button>/);
    expect(html).not.toMatch(/<(link|script|img)\b/);
  });

  it('shows only the pinned workspace when team is given', async () => {
    await slack.control.createWorkspace({ name: 'Second Team', users: [{ name: 'zed' }] });
    const all = await (await fetch(authorizeUrl({ client_id: app.client_id, scope: 'chat:write', redirect_uri: REDIRECT }))).text();
    expect(all).toContain('Second Team');
    const pinned = await (await fetch(authorizeUrl({ client_id: app.client_id, scope: 'chat:write', redirect_uri: REDIRECT, team }))).text();
    expect(pinned).not.toContain('Second Team');
  });

  it('refuses an unknown client_id and a redirect_uri outside the app’s redirect URLs', async () => {
    const unknown = await fetch(authorizeUrl({ client_id: 'nope', scope: 'chat:write' }));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Invalid client_id parameter');
    const elsewhere = await fetch(authorizeUrl({ client_id: app.client_id, scope: 'chat:write', redirect_uri: 'https://evil.example.com/cb' }));
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('redirect_uri did not match');
  });

  it('redirects with error=access_denied and the state on Cancel', async () => {
    const query = await consent({ client_id: app.client_id, scope: 'chat:write', redirect_uri: REDIRECT, state: 'csrf-2' }, 'deny');
    expect(Object.fromEntries(query)).toEqual({ error: 'access_denied', state: 'csrf-2' });
  });
});

describe('oauth.v2.access', () => {
  it('exchanges a code for Slack’s full answer, with a working bot token', async () => {
    const code = await codeFor('chat:write,channels:read', { user_scope: 'search:read' });
    const res = await oauth().oauth.v2.access({ client_id: app.client_id, client_secret: app.client_secret, code, redirect_uri: REDIRECT });
    expect(res).toMatchObject({
      ok: true,
      app_id: app.app_id,
      token_type: 'bot',
      scope: 'chat:write,channels:read',
      bot_user_id: expect.stringMatching(/^U/),
      team: { id: team, name: 'Emulated Workspace' },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: slack.defaultWorkspace.users.alice, scope: 'search:read', token_type: 'user', access_token: expect.stringMatching(/^xoxp-/) },
    });
    expect(res.access_token).toMatch(/^xoxb-/);
    expect(res).not.toHaveProperty('incoming_webhook');
    expect(res).not.toHaveProperty('refresh_token');
    const bot = emulatorWebClient(slack.apiUrl, res.access_token);
    expect((await bot.auth.test()).user_id).toBe(res.bot_user_id);
    // A fresh OAuth install is in no channel yet.
    expect(await slackError(bot.chat.postMessage({ channel: slack.defaultWorkspace.channels.general, text: 'x' }))).toBe('not_in_channel');
  });

  it('creates an incoming webhook in the chosen channel when incoming-webhook was granted', async () => {
    const code = await codeFor('chat:write,incoming-webhook', { webhook_channel: `${team}:${slack.defaultWorkspace.channels.deployments}` });
    const res = await oauth().oauth.v2.access({ client_id: app.client_id, client_secret: app.client_secret, code, redirect_uri: REDIRECT });
    expect(res.incoming_webhook).toMatchObject({ channel: '#deployments', channel_id: slack.defaultWorkspace.channels.deployments, url: expect.stringContaining(`${slack.url}/services/${team}/B`) });
    const posted = await fetch(res.incoming_webhook?.url as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"installed"}' });
    expect(await posted.text()).toBe('ok');
    expect((await slack.control.messages(team, 'deployments')).messages[0].text).toBe('installed');
  });

  it('accepts client credentials by HTTP Basic auth', async () => {
    const code = await codeFor('chat:write');
    const res = await fetch(`${slack.apiUrl}oauth.v2.access`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}` },
      body: new URLSearchParams({ code, redirect_uri: REDIRECT }),
    });
    expect(await res.json()).toMatchObject({ ok: true, app_id: app.app_id });
  });

  it('answers invalid_code for a used code and for one older than ten minutes', async () => {
    const code = await codeFor('chat:write');
    const args = { client_id: app.client_id, client_secret: app.client_secret, code, redirect_uri: REDIRECT };
    await oauth().oauth.v2.access(args);
    expect(await slackError(oauth().oauth.v2.access(args))).toBe('invalid_code');
    const late = await codeFor('chat:write');
    clock.advance(10 * 60 * 1000 + 1);
    expect(await slackError(oauth().oauth.v2.access({ ...args, code: late }))).toBe('invalid_code');
  });

  it('answers invalid_client_id, bad_client_secret and bad_redirect_uri', async () => {
    const code = await codeFor('chat:write');
    expect(await slackError(oauth().oauth.v2.access({ client_id: 'nope', client_secret: app.client_secret, code }))).toBe('invalid_client_id');
    expect(await slackError(oauth().oauth.v2.access({ client_id: app.client_id, client_secret: 'wrong', code }))).toBe('bad_client_secret');
    expect(await slackError(oauth().oauth.v2.access({ client_id: app.client_id, client_secret: app.client_secret, code, redirect_uri: `${REDIRECT}/other` }))).toBe('bad_redirect_uri');
  });

  it('adds scopes on a reinstall instead of replacing them', async () => {
    await oauth().oauth.v2.access({ client_id: app.client_id, client_secret: app.client_secret, code: await codeFor('chat:write'), redirect_uri: REDIRECT });
    const again = await oauth().oauth.v2.access({ client_id: app.client_id, client_secret: app.client_secret, code: await codeFor('users:read'), redirect_uri: REDIRECT });
    expect(again.scope?.split(',').sort()).toEqual(['chat:write', 'users:read']);
  });
});

describe('token rotation', () => {
  let rotating: ControlApp;
  beforeEach(async () => {
    rotating = await slack.control.createApp({ name: 'Rotating', scopes: ['chat:write'], token_rotation: true, token_lifetime_seconds: 60 });
  });

  async function install() {
    const code = await codeFor('chat:write,chat:write.public', {}, rotating);
    return oauth().oauth.v2.access({ client_id: rotating.client_id, client_secret: rotating.client_secret, code, redirect_uri: REDIRECT });
  }

  it('issues an expiring xoxe.xoxb- token with a refresh token; expired tokens answer token_expired', async () => {
    const res = await install();
    expect(res.access_token).toMatch(/^xoxe\.xoxb-/);
    expect(res.refresh_token).toMatch(/^xoxe-1-/);
    expect(res.expires_in).toBe(60);
    const bot = emulatorWebClient(slack.apiUrl, res.access_token);
    expect((await bot.auth.test()).expires_in).toBe(60);
    clock.advance(60_000);
    expect(await slackError(bot.auth.test())).toBe('token_expired');
  });

  it('refreshes with grant_type=refresh_token: a new working token and a new refresh token', async () => {
    const first = await install();
    clock.advance(61_000);
    const refreshed = await oauth().oauth.v2.access({ client_id: rotating.client_id, client_secret: rotating.client_secret, grant_type: 'refresh_token', refresh_token: first.refresh_token as string });
    expect(refreshed).toMatchObject({ ok: true, token_type: 'bot', expires_in: 60, team: { id: team } });
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    const bot = emulatorWebClient(slack.apiUrl, refreshed.access_token);
    expect((await bot.chat.postMessage({ channel: slack.defaultWorkspace.channels.general, text: 'fresh token' })).ok).toBe(true);
  });

  it('answers invalid_refresh_token for an unknown refresh token and for a used one after its grace period', async () => {
    const first = await install();
    const args = { client_id: rotating.client_id, client_secret: rotating.client_secret, grant_type: 'refresh_token' as const };
    expect(await slackError(oauth().oauth.v2.access({ ...args, refresh_token: 'xoxe-1-emulator-unknown' }))).toBe('invalid_refresh_token');
    await oauth().oauth.v2.access({ ...args, refresh_token: first.refresh_token as string });
    clock.advance(60_001);
    expect(await slackError(oauth().oauth.v2.access({ ...args, refresh_token: first.refresh_token as string }))).toBe('invalid_refresh_token');
  });

  it('keeps at most two active tokens: a third refresh revokes the oldest', async () => {
    const first = await install();
    const args = { client_id: rotating.client_id, client_secret: rotating.client_secret, grant_type: 'refresh_token' as const };
    const second = await oauth().oauth.v2.access({ ...args, refresh_token: first.refresh_token as string });
    await oauth().oauth.v2.access({ ...args, refresh_token: second.refresh_token as string });
    expect(await slackError(emulatorWebClient(slack.apiUrl, first.access_token).auth.test())).toBe('token_revoked');
    expect((await emulatorWebClient(slack.apiUrl, second.access_token).auth.test()).ok).toBe(true);
  });

  it('answers invalid_grant_type for anything but authorization_code and refresh_token', async () => {
    expect(await slackError(oauth().oauth.v2.access({ client_id: rotating.client_id, client_secret: rotating.client_secret, grant_type: 'password' } as never))).toBe('invalid_grant_type');
  });

  it('gives rotating apps installed through the control API a refresh token too', async () => {
    const inst = await slack.control.install(team, { app_id: rotating.app_id });
    expect(inst.bot_token).toMatch(/^xoxe\.xoxb-/);
    expect(inst.refresh_token).toMatch(/^xoxe-1-/);
    expect(inst.token_expires_at).toBe(Math.floor(clock.now() / 1000) + 60);
  });
});
