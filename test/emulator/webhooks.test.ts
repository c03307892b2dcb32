/**
 * Incoming webhooks through the official IncomingWebhook client and raw HTTP: `200 ok` on success,
 * and Slack's error strings with their statuses for a bad payload, an archived / deleted channel,
 * a removed webhook, a wrong secret, an unknown workspace, a disabled workspace, an uninstalled app.
 */
import { IncomingWebhook, type IncomingWebhookHTTPError } from '@slack/webhook';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';

let slack: StartedEmulator;
let team: string;

beforeAll(async () => {
  slack = await startEmulator({ rateLimits: { enabled: false } });
  team = slack.defaultWorkspace.teamId;
});
afterAll(() => slack.close());
beforeEach(() => slack.control.reset());

async function httpError(call: Promise<unknown>): Promise<{ status: number; body: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as IncomingWebhookHTTPError;
    expect(err.code).toBe('slack_webhook_http_error');
    return { status: err.statusCode, body: err.body };
  }
  throw new Error('expected the webhook call to fail');
}

function raw(url: string, body: string, type = 'application/json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
}

describe('posting through an incoming webhook', () => {
  it('answers 200 "ok" and posts to the webhook’s channel as the app', async () => {
    const hook = new IncomingWebhook(slack.defaultWorkspace.webhookUrl);
    expect(await hook.send({ text: 'Disk almost full', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Disk* 91%' } }] })).toEqual({ text: 'ok' });
    const { messages } = await slack.control.messages(team, 'alerts');
    expect(messages).toEqual([expect.objectContaining({ text: 'Disk almost full', source: 'webhook', bot_id: expect.stringMatching(/^B/) })]);
  });

  it('ignores channel, username and icon overrides, and replies in a thread with thread_ts', async () => {
    const hook = new IncomingWebhook(slack.defaultWorkspace.webhookUrl);
    await hook.send({ text: 'root', channel: '#general', username: 'Impostor', icon_emoji: ':ghost:' });
    const [root] = (await slack.control.messages(team, 'alerts')).messages;
    expect(root.username).toBeUndefined();
    expect((await slack.control.messages(team, 'general')).messages).toHaveLength(0);
    // thread_ts is documented for webhooks [D-WH] though IncomingWebhookSendArguments does not type it.
    await hook.send({ text: 'in thread', thread_ts: root.ts } as Parameters<IncomingWebhook['send']>[0]);
    expect((await slack.control.messages(team, 'alerts')).messages[0].replies?.map((r) => r.text)).toEqual(['in thread']);
  });

  it('accepts a form-encoded payload field, like Slack', async () => {
    const res = await raw(slack.defaultWorkspace.webhookUrl, new URLSearchParams({ payload: JSON.stringify({ text: 'form' }) }).toString(), 'application/x-www-form-urlencoded');
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
  });
});

describe('webhook errors', () => {
  it('invalid_payload 400 for a body that is not JSON', async () => {
    const res = await raw(slack.defaultWorkspace.webhookUrl, '{"text": "unterminated');
    expect([res.status, await res.text()]).toEqual([400, 'invalid_payload']);
  });

  it('no_text 400 when there is nothing to show, invalid_blocks 400 for bad blocks', async () => {
    const hook = new IncomingWebhook(slack.defaultWorkspace.webhookUrl);
    expect(await httpError(hook.send({}))).toEqual({ status: 400, body: 'no_text' });
    expect(await httpError(hook.send({ text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'headers are plain_text' } }] as never }))).toEqual({ status: 400, body: 'invalid_blocks' });
  });

  it('channel_is_archived 410, then channel_not_found 404 once the channel is deleted', async () => {
    const hook = new IncomingWebhook(slack.defaultWorkspace.webhookUrl);
    await slack.control.setChannelArchived(team, 'alerts', true);
    expect(await httpError(hook.send({ text: 'x' }))).toEqual({ status: 410, body: 'channel_is_archived' });
    await slack.control.deleteChannel(team, 'alerts');
    expect(await httpError(hook.send({ text: 'x' }))).toEqual({ status: 404, body: 'channel_not_found' });
  });

  it('no_service 404 for a removed webhook and after the app is uninstalled', async () => {
    const ws = await slack.control.workspace(team);
    const [existing] = ws.webhooks;
    await slack.control.removeWebhook(existing.id);
    expect(await httpError(new IncomingWebhook(existing.url).send({ text: 'x' }))).toEqual({ status: 404, body: 'no_service' });
    const another = await slack.control.createWebhook(team, { channel: 'deployments' });
    await slack.control.uninstall(team, slack.defaultWorkspace.appId);
    expect(await httpError(new IncomingWebhook(another.url).send({ text: 'x' }))).toEqual({ status: 404, body: 'no_service' });
  });

  it('invalid_token 403 for a wrong secret, no_team 404 for an unknown workspace', async () => {
    const url = new URL(slack.defaultWorkspace.webhookUrl);
    const wrongSecret = url.toString().replace(/[^/]+$/, 'WrongSecretWrongSecret00');
    expect(await httpError(new IncomingWebhook(wrongSecret).send({ text: 'x' }))).toEqual({ status: 403, body: 'invalid_token' });
    const wrongTeam = url.toString().replace(`/services/${team}/`, '/services/T0NOTHERE/');
    expect(await httpError(new IncomingWebhook(wrongTeam).send({ text: 'x' }))).toEqual({ status: 404, body: 'no_team' });
  });

  it('team_disabled for a disabled workspace', async () => {
    await slack.control.setWorkspaceDisabled(team, true);
    expect(await httpError(new IncomingWebhook(slack.defaultWorkspace.webhookUrl).send({ text: 'x' }))).toEqual({ status: 403, body: 'team_disabled' });
  });

  it('webhooks created through the control API post to their own channel', async () => {
    const created = await slack.control.createWebhook(team, { channel: 'deployments' });
    expect(created.url).toMatch(new RegExp(`^${slack.url}/services/${team}/B[A-Z0-9]+/[A-Za-z0-9]{24}$`));
    await new IncomingWebhook(created.url).send({ text: 'v1.2.3 is live' });
    expect((await slack.control.messages(team, 'deployments')).messages[0].text).toBe('v1.2.3 is live');
  });
});
