/**
 * A channel-picker cursor Slack does not recognise (a made-up, mangled or foreign one): Slack
 * answers invalid_cursor, which is the client's mistake, so the API answers 400 invalid_cursor
 * saying to drop or fix the cursor — not 502 as if Slack were down. On every database engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { emulatorWebClient, slackPlatformError, startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const BAD_CURSORS = ['garbage', "evt_'--", Buffer.from('channel:C0NOSUCH').toString('base64')];

describe('the emulator, like Slack', () => {
  it('answers invalid_cursor for a cursor it did not hand out', async () => {
    const slack = await startEmulator();
    try {
      const web = emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken);
      for (const cursor of BAD_CURSORS) {
        expect((await slackPlatformError(web.conversations.list({ cursor }))).error, JSON.stringify(cursor)).toBe('invalid_cursor');
      }
    } finally {
      await slack.close();
    }
  });
});

describe.each(databaseKinds)('channel picker cursors on %s', (kind) => {
  let slack: StartedEmulator;
  let gw: TestGateway;
  let project: { id: string; key: string };
  let connectionId: string;

  beforeAll(async () => {
    slack = await startEmulator({ rateLimits: { enabled: false } });
    gw = await createTestGateway(kind, { slackApiUrl: slack.apiUrl });
    project = await gw.createProject('Picker');
    const connection = await gw.call('POST', '/v1/connections', { key: project.key, body: { bot_token: slack.defaultWorkspace.botToken } });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
    connectionId = connection.body.id;
  });
  afterAll(async () => {
    await gw?.close();
    await slack?.close();
  });

  const channels = (query: string) => gw.call('GET', `/v1/connections/${connectionId}/channels${query}`, { key: project.key });

  it('answers 400 for a cursor with a NUL before asking Slack (text the gateway refuses anywhere)', async () => {
    const res = await channels(`?cursor=${encodeURIComponent('\u0000')}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('answers 400 invalid_cursor, saying to drop or fix the cursor', async () => {
    for (const cursor of BAD_CURSORS) {
      const res = await channels(`?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, JSON.stringify(cursor)).toBe(400);
      expect(res.body.error.code).toBe('invalid_cursor');
      expect(res.body.error.message).toMatch(/cursor/);
      expect(res.body.error.message).toMatch(/next_cursor/);
    }
  });

  it('still pages with the cursors it hands out, and the connection stays active', async () => {
    const first = await channels('?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const next = await channels(`?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(next.status).toBe(200);
    expect(next.body.channels.length).toBeGreaterThan(0);
    const connection = await gw.call('GET', `/v1/connections/${connectionId}`, { key: project.key });
    expect(connection.body.status).toBe('active');
  });
});
