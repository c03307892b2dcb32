/**
 * Faults on demand, as a sender sees them through the official clients: the next N calls answer a
 * 5xx, a chosen Slack error, drop the connection, or hang past the client's timeout (and still
 * post, as a slow Slack would). Webhooks take the same faults.
 */
import { IncomingWebhook, type IncomingWebhookHTTPError } from '@slack/webhook';
import type { WebAPIHTTPError, WebAPIPlatformError, WebAPIRequestError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorWebClient, startEmulator, type StartedEmulator } from '../helpers/emulator.ts';

let slack: StartedEmulator;
let team: string;
let alerts: string;

beforeAll(async () => {
  slack = await startEmulator({ rateLimits: { enabled: false } });
  team = slack.defaultWorkspace.teamId;
  alerts = slack.defaultWorkspace.channels.alerts;
});
afterAll(() => slack.close());
beforeEach(() => slack.control.reset());

async function failure<T>(call: Promise<unknown>): Promise<T> {
  try {
    await call;
  } catch (e) {
    return e as T;
  }
  throw new Error('expected the call to fail');
}

const postText = (text: string) => emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken).chat.postMessage({ channel: alerts, text });

describe('Web API faults', () => {
  it('answers the next N calls of a method with an HTTP 5xx, then recovers', async () => {
    await slack.control.addFault({ method: 'chat.postMessage', kind: 'http_error', status: 503, count: 2 });
    for (let i = 0; i < 2; i++) {
      const err = await failure<WebAPIHTTPError>(postText('x'));
      expect(err.code).toBe('slack_webapi_http_error');
      expect(err.statusCode).toBe(503);
    }
    expect((await postText('after')).ok).toBe(true);
    expect((await slack.control.messages(team, 'alerts')).messages.map((m) => m.text)).toEqual(['after']);
  });

  it('answers a chosen Slack error with HTTP 200', async () => {
    await slack.control.addFault({ method: 'chat.postMessage', kind: 'slack_error', error: 'internal_error' });
    const err = await failure<WebAPIPlatformError>(postText('x'));
    expect(err.code).toBe('slack_webapi_platform_error');
    expect(err.data.error).toBe('internal_error');
  });

  it('drops the connection without an answer', async () => {
    await slack.control.addFault({ method: 'chat.postMessage', kind: 'drop' });
    const err = await failure<WebAPIRequestError>(postText('x'));
    expect(err.code).toBe('slack_webapi_request_error');
    expect((await slack.control.messages(team, 'alerts')).messages).toHaveLength(0);
  });

  it('hangs past the client’s timeout, and the message is still posted afterwards', async () => {
    await slack.control.addFault({ method: 'chat.postMessage', kind: 'hang', hang_ms: 300 });
    const impatient = emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken, { timeout: 50 });
    const err = await failure<WebAPIRequestError>(impatient.chat.postMessage({ channel: alerts, text: 'slow' }));
    expect(err.code).toBe('slack_webapi_request_error');
    let posted = 0;
    for (let i = 0; i < 40 && posted === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      posted = (await slack.control.messages(team, 'alerts')).messages.length;
    }
    expect(posted).toBe(1);
  });

  it('touches only the named method and, with team_id, only that workspace', async () => {
    const other = await slack.control.createWorkspace({ apps: [{ name: 'Other', scopes: ['chat:write'] }] });
    await slack.control.addFault({ method: 'chat.postMessage', kind: 'slack_error', error: 'fatal_error', team_id: other.team_id });
    expect((await emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken).auth.test()).ok).toBe(true);
    expect((await postText('unaffected')).ok).toBe(true);
    const otherWeb = emulatorWebClient(slack.apiUrl, other.bot_token);
    expect((await failure<WebAPIPlatformError>(otherWeb.chat.postMessage({ channel: other.channels[0].id, text: 'x' }))).data.error).toBe('fatal_error');
  });

  it('lists pending faults with what is left of them, and clears them', async () => {
    await slack.control.addFault({ method: '*', kind: 'http_error', count: 3 });
    await failure(emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken).auth.test());
    expect(await slack.control.faults()).toEqual([expect.objectContaining({ method: '*', remaining: 2, hits: 1 })]);
    await slack.control.clearFaults();
    expect(await slack.control.faults()).toEqual([]);
    await expect(slack.control.addFault({ kind: 'slack_error', method: 'auth.test' } as never)).rejects.toThrow(/needs an error/);
  });
});

describe('webhook faults', () => {
  it('answers a 5xx to the named webhook', async () => {
    await slack.control.addFault({ webhook: slack.defaultWorkspace.webhookUrl, kind: 'http_error', status: 500 });
    const err = await failure<IncomingWebhookHTTPError>(new IncomingWebhook(slack.defaultWorkspace.webhookUrl).send({ text: 'x' }));
    expect([err.code, err.statusCode]).toEqual(['slack_webhook_http_error', 500]);
    expect(await new IncomingWebhook(slack.defaultWorkspace.webhookUrl).send({ text: 'y' })).toEqual({ text: 'ok' });
  });

  it('answers a chosen Slack error with its status, e.g. action_prohibited 403 or rollup_error 500', async () => {
    await slack.control.addFault({ webhook: '*', kind: 'slack_error', error: 'action_prohibited' });
    await slack.control.addFault({ webhook: '*', kind: 'slack_error', error: 'rollup_error' });
    const hook = new IncomingWebhook(slack.defaultWorkspace.webhookUrl);
    const first = await failure<IncomingWebhookHTTPError>(hook.send({ text: 'x' }));
    expect([first.statusCode, first.body]).toEqual([403, 'action_prohibited']);
    const second = await failure<IncomingWebhookHTTPError>(hook.send({ text: 'x' }));
    expect([second.statusCode, second.body]).toEqual([500, 'rollup_error']);
  });

  it('drops the connection', async () => {
    await slack.control.addFault({ webhook: '*', kind: 'drop' });
    const err = await failure<{ code: string }>(new IncomingWebhook(slack.defaultWorkspace.webhookUrl).send({ text: 'x' }));
    expect(err.code).toBe('slack_webhook_request_error');
  });
});
