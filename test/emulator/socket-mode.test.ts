/**
 * Socket Mode through the official SocketModeClient, changed only by its base URL: apps.connections.open
 * with the app-level token, the WebSocket, `hello` (start() resolves and 'connected' fires), envelopes
 * acked with a response payload, and a `disconnect` the client recovers from by reconnecting.
 */
import { SocketModeClient } from '@slack/socket-mode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emulatorWebClient, silentLogger, startEmulator, type StartedEmulator } from '../helpers/emulator.ts';

let slack: StartedEmulator;
const clients: SocketModeClient[] = [];

beforeAll(async () => {
  slack = await startEmulator();
});
afterAll(() => slack.close());
afterEach(async () => {
  for (const c of clients.splice(0)) await c.disconnect().catch(() => {});
});

function socketClient(appToken = slack.defaultWorkspace.appToken, autoReconnectEnabled = false): SocketModeClient {
  // clientPingTimeout also sets the client's wait before reconnecting; shortened to keep the test fast.
  const client = new SocketModeClient({
    appToken,
    logger: silentLogger,
    autoReconnectEnabled,
    clientPingTimeout: 200,
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
  });
  clients.push(client);
  return client;
}

describe('Socket Mode', () => {
  it('connects: apps.connections.open, then hello', async () => {
    const client = socketClient();
    const connected = new Promise((resolve) => client.once('connected', resolve));
    await client.start();
    await connected;
    expect((await fetch(`${slack.url}/_emulator/apps/${slack.defaultWorkspace.appId}/socket-mode`).then((r) => r.json())).connections).toBe(1);
  });

  it('delivers an envelope and returns the app’s ack with its response payload', async () => {
    const client = socketClient();
    client.on('slash_commands', async ({ ack, body }) => {
      await ack({ response_type: 'ephemeral', text: `Deploying ${body.text}` });
    });
    await client.start();
    const result = await slack.control.sendEnvelope(slack.defaultWorkspace.appId, {
      type: 'slash_commands',
      payload: { command: '/deploy', text: 'staging', team_id: slack.defaultWorkspace.teamId },
      accepts_response_payload: true,
    });
    expect(result).toMatchObject({ ok: true, ack: { payload: { response_type: 'ephemeral', text: 'Deploying staging' } } });
  });

  it('reports ack_timeout when the app never acks, and no_connection when nobody is connected', async () => {
    const client = socketClient();
    let seen = 0;
    client.on('app_mention', () => {
      seen += 1; // and never acks
    });
    await client.start();
    const payload = { type: 'event_callback', event: { type: 'app_mention', text: '<@U1> hi' } };
    const timedOut = await slack.control.sendEnvelope(slack.defaultWorkspace.appId, { type: 'events_api', payload, timeout_ms: 100 });
    expect(seen).toBe(1);
    expect(timedOut).toMatchObject({ ok: false, error: 'ack_timeout' });
    await client.disconnect();
    clients.length = 0;
    const nobody = await slack.control.sendEnvelope(slack.defaultWorkspace.appId, { type: 'events_api', payload, timeout_ms: 100 });
    expect(nobody).toEqual({ ok: false, error: 'no_connection' });
  });

  it('reconnects after a disconnect (refresh_requested) message', async () => {
    const client = socketClient(undefined, true);
    await client.start();
    const reconnected = new Promise((resolve) => client.once('connected', resolve));
    await slack.control.disconnectSocketMode(slack.defaultWorkspace.appId, 'refresh_requested');
    await reconnected;
  });
});

describe('apps.connections.open', () => {
  it('answers a wss-style URL on the emulator for an app-level token in the header', async () => {
    const res = await emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.appToken).apps.connections.open();
    expect(res.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/link/\\?ticket=[A-Za-z0-9]+&app_id=${slack.defaultWorkspace.appId}$`));
  });

  it('answers not_allowed_token_type for a bot token, not_authed for a token in the body, invalid_auth for an unknown one', async () => {
    const call = (headers: Record<string, string>, body?: URLSearchParams) => fetch(`${slack.apiUrl}apps.connections.open`, { method: 'POST', headers, body }).then((r) => r.json());
    expect(await call({ authorization: `Bearer ${slack.defaultWorkspace.botToken}` })).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await call({}, new URLSearchParams({ token: slack.defaultWorkspace.appToken }))).toEqual({ ok: false, error: 'not_authed' });
    expect(await call({ authorization: 'Bearer xapp-emulator-unknown' })).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('makes SocketModeClient.start() fail for an unknown app token', async () => {
    await expect(socketClient('xapp-emulator-unknown').start()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });
});
