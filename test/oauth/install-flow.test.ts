/**
 * "Connect Slack" through the OAuth install, on every database engine, with the emulator standing
 * in for Slack: the install link (scopes, redirect, state), the callback storing the connection
 * sealed, the incoming webhook becoming a destination, and every way an install can fail ending on
 * a clear HTML page with status 400: cancel, forged / expired / reused state, a wrong code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway } from '../helpers/gateway.ts';
import { CALLBACK_URL, consent, createInstallRig, databaseText, emulatorInstallation, followCallback, installLink, installSlack, type InstallRig } from './connect-slack-rig.ts';

function withState(pathAndQuery: string, state: string): string {
  const url = new URL(pathAndQuery, 'https://x');
  url.searchParams.set('state', state);
  return url.pathname + url.search;
}

describe.each(databaseKinds)('Connect Slack install on %s', (kind) => {
  let rig: InstallRig;
  let project: { id: string; key: string };

  beforeAll(async () => {
    rig = await createInstallRig(kind);
    project = await rig.gw.createProject('Approvals');
  });
  afterAll(async () => rig?.close());

  it('gives a project an authorize link with the enabled features’ scopes, our callback and a state', async () => {
    const res = await rig.gw.call('POST', '/v1/connections/install', { key: project.key, body: { team_id: rig.team } });
    expect(res.status).toBe(201);
    const url = new URL(res.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${rig.slack.url}/oauth/v2/authorize`);
    expect(url.searchParams.get('client_id')).toBe(rig.app.client_id);
    expect(url.searchParams.get('scope')!.split(',')).toEqual(['chat:write', 'channels:read', 'groups:read', 'chat:write.public', 'channels:join', 'im:write', 'users:read.email', 'incoming-webhook']);
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK_URL);
    expect(url.searchParams.get('team')).toBe(rig.team);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(res.body.expires_at) - rig.gw.clock.now()).toBe(10 * 60_000);
    // A body is optional.
    expect((await rig.gw.call('POST', '/v1/connections/install', { key: project.key })).status).toBe(201);
  });

  it('stores the installation sealed, linked to the project, and makes the install’s webhook a destination', async () => {
    const page = await followCallback(rig, await consent(rig, await installLink(rig, project.key), { webhookChannel: rig.slack.defaultWorkspace.channels.deployments }));
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.html).toContain('Slack is connected');
    expect(page.html).toContain('Emulated Workspace');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const { body } = await rig.gw.call('GET', '/v1/connections', { key: project.key });
    expect(body.connections).toHaveLength(1);
    const connection = body.connections[0];
    const inst = await emulatorInstallation(rig);
    expect(connection).toMatchObject({ project_id: project.id, team_id: rig.team, team_name: 'Emulated Workspace', app_id: rig.app.app_id, bot_user_id: inst.bot_user_id, status: 'active' });
    expect(connection.scopes).toContain('chat:write');
    expect(connection.bot_token_hint).toBe(`xoxb-…${inst.bot_token.slice(-4)}`);
    expect(JSON.stringify(body)).not.toContain(inst.bot_token);

    const everything = await databaseText(rig);
    expect(everything).not.toContain(inst.bot_token);
    expect(everything).toContain(connection.id);

    const destinations = (await rig.gw.call('GET', '/v1/destinations', { key: project.key })).body.destinations;
    const webhook = destinations.find((d: any) => d.kind === 'webhook');
    expect(webhook).toMatchObject({ name: 'Slack webhook to #deployments (Emulated Workspace)', subscriptions: ['*'], status: 'active' });
    const hookUrl = (await rig.slack.control.workspace(rig.team)).webhooks.find((h) => h.app_id === rig.app.app_id)!.url;
    expect(everything).not.toContain(hookUrl);
  });

  it('uses a state once: the same callback again is refused', async () => {
    const callback = await consent(rig, await installLink(rig, project.key));
    expect((await followCallback(rig, callback)).status).toBe(200);
    const again = await followCallback(rig, callback);
    expect(again.status).toBe(400);
    expect(again.contentType).toMatch(/^text\/html/);
    expect(again.html).toContain('This install link was already used');
  });

  it('lets exactly one of two simultaneous callbacks with the same state through', async () => {
    const callback = await consent(rig, await installLink(rig, project.key));
    const pages = await Promise.all([followCallback(rig, callback), followCallback(rig, callback)]);
    expect(pages.map((p) => p.status).sort()).toEqual([200, 400]);
    expect(pages.find((p) => p.status === 400)!.html).toContain('already used');
  });

  it('refuses a forged state, whatever it looks like', async () => {
    const callback = await consent(rig, await installLink(rig, project.key));
    const state = new URL(callback, 'https://x').searchParams.get('state')!;
    const [nonce, signature] = state.split('.');
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    for (const forged of [`${nonce}.${flipped}`, `${nonce}x.${signature}`, 'not-a-state', `${nonce}.${signature}.extra`, `${'a'.repeat(43)}.${'b'.repeat(43)}`]) {
      const page = await followCallback(rig, withState(callback, forged));
      expect(page.status, forged).toBe(400);
      expect(page.html).toContain('This install link is not valid');
      expect(page.html).not.toMatch(/at .*\.ts:\d+/);
    }
    // The genuine state still works: a forgery does not spend it.
    expect((await followCallback(rig, callback)).status).toBe(200);
  });

  it('refuses a state older than ten minutes', async () => {
    const link = await installLink(rig, project.key);
    const callback = await consent(rig, link);
    rig.gw.clock.advance(10 * 60_000 + 1000);
    const page = await followCallback(rig, callback);
    expect(page.status).toBe(400);
    expect(page.html).toContain('This install link has expired');
  });

  it('ends a cancelled consent on a clear page, and the link cannot be finished afterwards', async () => {
    const link = await installLink(rig, project.key);
    const cancelled = await consent(rig, link, { decision: 'deny' });
    expect(new URL(cancelled, 'https://x').searchParams.get('error')).toBe('access_denied');
    const page = await followCallback(rig, cancelled);
    expect(page.status).toBe(400);
    expect(page.html).toContain('The installation was cancelled in Slack');
    const allowedLater = await followCallback(rig, await consent(rig, link));
    expect(allowedLater.status).toBe(400);
    expect(allowedLater.html).toContain('already used');
  });

  it('ends a wrong or replayed code on a clear page', async () => {
    const callback = await consent(rig, await installLink(rig, project.key));
    const code = new URL(callback, 'https://x').searchParams.get('code')!;
    const wrong = new URL(await consent(rig, await installLink(rig, project.key)), 'https://x');
    wrong.searchParams.set('code', `${code}-wrong`);
    const page = await followCallback(rig, wrong.pathname + wrong.search);
    expect(page.status).toBe(400);
    expect(page.html).toContain('Slack did not accept the authorization');

    expect((await followCallback(rig, callback)).status).toBe(200);
    // Slack's codes work once: the same code with a fresh state is refused by Slack.
    const fresh = new URL(await consent(rig, await installLink(rig, project.key)), 'https://x');
    fresh.searchParams.set('code', code);
    const replay = await followCallback(rig, fresh.pathname + fresh.search);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('Slack did not accept the authorization');
  });

  it('answers a callback without a state or code on a page, not JSON', async () => {
    for (const path of ['/oauth/callback', '/oauth/callback?code=abc', '/oauth/callback?error=access_denied']) {
      const page = await followCallback(rig, path);
      expect(page.status, path).toBe(400);
      expect(page.contentType).toMatch(/^text\/html/);
      expect(page.html).not.toContain('"error"');
    }
  });

  it('binds each install to the project that asked: another project gets its own connection, never the first one', async () => {
    const other = await rig.gw.createProject('Gamification');
    const mine = (await rig.gw.call('GET', '/v1/connections', { key: project.key })).body.connections[0];
    expect((await rig.gw.call('GET', '/v1/connections', { key: other.key })).body.connections).toEqual([]);
    expect((await rig.gw.call('GET', `/v1/connections/${mine.id}`, { key: other.key })).status).toBe(404);

    const theirs = await installSlack(rig, other.key);
    expect(theirs.project_id).toBe(other.id);
    expect(theirs.id).not.toBe(mine.id);
    expect((await rig.gw.call('GET', '/v1/connections', { key: project.key })).body.connections.map((c: any) => c.id)).toEqual([mine.id]);
  });
});

describe('Connect Slack without a Slack app configured', () => {
  it('answers 501 for an install link and a clear page at the callback', async () => {
    const gw = await createTestGateway('pglite');
    try {
      const project = await gw.createProject();
      const res = await gw.call('POST', '/v1/connections/install', { key: project.key });
      expect(res.status).toBe(501);
      expect(res.body.error.code).toBe('oauth_not_configured');
      expect(res.body.error.message).toContain('SWITCHBOARD_SLACK_CLIENT_ID');
      const page = await gw.app.request('/oauth/callback?code=x&state=y');
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('Connect Slack is not set up');
    } finally {
      await gw.close();
    }
  });

  it('asks for chat:write alone when no feature is on', async () => {
    const rig = await createInstallRig('pglite', { features: [] });
    try {
      const project = await rig.gw.createProject();
      const url = new URL(await installLink(rig, project.key));
      expect(url.searchParams.get('scope')).toBe('chat:write');
    } finally {
      await rig.close();
    }
  });
});
