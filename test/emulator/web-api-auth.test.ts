/**
 * auth.test and auth.revoke through the official WebClient, and what Slack answers to tokens that
 * no longer work: unknown (invalid_auth), missing (not_authed), revoked (token_revoked), app
 * uninstalled (account_inactive for bot tokens), workspace disabled (account_inactive).
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorWebClient, startEmulator, type StartedEmulator, slackPlatformError } from '../helpers/emulator.ts';

let slack: StartedEmulator;
beforeAll(async () => {
  slack = await startEmulator();
});
afterAll(() => slack.close());
beforeEach(() => slack.control.reset());

function client(token?: string): WebClient {
  return emulatorWebClient(slack.apiUrl, token);
}

const slackError = slackPlatformError;

describe('auth.test', () => {
  it('tells a bot token its team, user and bot, and lists its scopes in x-oauth-scopes', async () => {
    const res = await client(slack.defaultWorkspace.botToken).auth.test();
    expect(res).toMatchObject({
      ok: true,
      team_id: slack.defaultWorkspace.teamId,
      team: 'Emulated Workspace',
      user_id: slack.defaultWorkspace.botUserId,
      user: 'switchboard',
      url: `${slack.url}/`,
    });
    expect(res.bot_id).toMatch(/^B[A-Z0-9]{8,}$/);
    expect(res.response_metadata?.scopes).toContain('chat:write');
  });

  it('accepts the token as a form field as well as a Bearer header', async () => {
    const body = new URLSearchParams({ token: slack.defaultWorkspace.botToken });
    const res = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST', body });
    expect(await res.json()).toMatchObject({ ok: true, team_id: slack.defaultWorkspace.teamId });
  });

  it('answers not_authed without a token and invalid_auth for an unknown one', async () => {
    expect((await slackError(client().auth.test())).error).toBe('not_authed');
    expect((await slackError(client('xoxb-emulator-unknown').auth.test())).error).toBe('invalid_auth');
  });

  it('ignores a token in a JSON body, as Slack requires the header with JSON', async () => {
    const res = await fetch(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: slack.defaultWorkspace.botToken }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('answers account_inactive once the app is uninstalled', async () => {
    await slack.control.uninstall(slack.defaultWorkspace.teamId, slack.defaultWorkspace.appId);
    expect((await slackError(client(slack.defaultWorkspace.botToken).auth.test())).error).toBe('account_inactive');
  });

  it('answers account_inactive for every token of a disabled workspace', async () => {
    await slack.control.setWorkspaceDisabled(slack.defaultWorkspace.teamId, true);
    expect((await slackError(client(slack.defaultWorkspace.botToken).auth.test())).error).toBe('account_inactive');
  });

  it('answers unknown_method for a method the emulator does not have', async () => {
    const res = await fetch(`${slack.apiUrl}pins.add`, { method: 'POST', headers: { authorization: `Bearer ${slack.defaultWorkspace.botToken}` } });
    expect(await res.json()).toEqual({ ok: false, error: 'unknown_method' });
  });
});

describe('auth.revoke', () => {
  it('revokes the calling token: later calls answer token_revoked', async () => {
    const web = client(slack.defaultWorkspace.botToken);
    expect(await web.auth.revoke()).toMatchObject({ ok: true, revoked: true });
    expect((await slackError(web.auth.test())).error).toBe('token_revoked');
    expect((await slackError(web.chat.postMessage({ channel: slack.defaultWorkspace.channels.general, text: 'x' }))).error).toBe('token_revoked');
  });

  it('with test=true leaves the token working', async () => {
    const web = client(slack.defaultWorkspace.botToken);
    expect(await web.auth.revoke({ test: true })).toMatchObject({ ok: true, revoked: false });
    expect((await web.auth.test()).ok).toBe(true);
  });

  it('answers invalid_auth for an unknown token', async () => {
    expect((await slackError(client('xoxb-emulator-nope').auth.revoke())).error).toBe('invalid_auth');
  });

  it('revoking through the control API has the same effect', async () => {
    await slack.control.revokeToken(slack.defaultWorkspace.botToken);
    expect((await slackError(client(slack.defaultWorkspace.botToken).auth.test())).error).toBe('token_revoked');
  });
});
