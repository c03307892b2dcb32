/**
 * Secrets stay secret: after a run that stores a bot token, a refresh token and webhook URLs,
 * neither a dump of every table nor the captured logs contain them in plaintext; API answers show
 * only masked hints; rotating the encryption key keeps everything readable.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionBotToken, saveConnection } from '../../src/connections/connection-store.ts';
import type { Queryable } from '../../src/db/database.ts';
import { Keyring } from '../../src/secrets/keyring.ts';
import { resealAllSecrets } from '../../src/secrets/reseal-all-secrets.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const ORIGIN = 'http://127.0.0.1:3999';
const BOT_TOKEN = 'xoxb-emulator-9f8e7d6c5b4a3210-plaintextbottoken';
const REFRESH_TOKEN = 'xoxe-1-emulator-plaintextrefreshtoken';
const WEBHOOK_SECRET = 'Plaintextwebhooksecret123';
const WEBHOOK_URL = `${ORIGIN}/services/T0SECRET/B0SECRET/${WEBHOOK_SECRET}`;

async function dumpEverything(db: Queryable): Promise<string> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table_name} t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

describe.each(databaseKinds)('secrets at rest on %s', (kind) => {
  let gw: TestGateway;
  let project: { id: string; key: string };
  let connectionId: string;

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    project = await gw.createProject('Secrets');
    const connection = await saveConnection(gw.ctx.db, gw.ctx.keyring, project.id,
      { teamId: 'T0SECRET', teamName: 'S', enterpriseId: null, botUserId: 'U0BOT', appId: null, scopes: ['chat:write'] },
      { botToken: BOT_TOKEN, refreshToken: REFRESH_TOKEN, expiresAt: new Date(Date.now() + 3600_000) });
    connectionId = connection.id;
    const dst = await gw.call('POST', '/v1/destinations', { key: project.key, body: { name: 'hook', kind: 'webhook', webhook_url: WEBHOOK_URL, subscriptions: ['*'] } });
    expect(dst.status).toBe(201);
    await gw.call('POST', '/v1/destinations', { key: project.key, body: { name: 'chan', kind: 'channel', connection_id: connectionId, channel_id: 'C0SECRET', subscriptions: ['*'] } });
    // Something careless that reaches a log line: the scrubber must still catch it.
    gw.ctx.logger.error({ err: new Error(`Slack said no to ${BOT_TOKEN} at ${WEBHOOK_URL}`), token: BOT_TOKEN }, `posting with ${BOT_TOKEN}`);
    await gw.call('POST', '/v1/events', { key: project.key, body: { type: 'approval.created', data: { key: 'x', action: 'Deploy', requester: 'Alice' } } });
  });
  afterAll(async () => gw?.close());

  it('keeps no plaintext token or webhook URL in any table', async () => {
    const dump = await dumpEverything(gw.ctx.db);
    expect(dump).toContain('sbenc:v1:'); // the secrets are there, sealed
    for (const secret of [BOT_TOKEN, REFRESH_TOKEN, WEBHOOK_SECRET, project.key]) expect(dump).not.toContain(secret);
  });

  it('writes no plaintext secret to the logs', async () => {
    const logs = gw.logs.join('');
    expect(logs).toContain('posting with'); // the careless line was written...
    for (const secret of [BOT_TOKEN, REFRESH_TOKEN, WEBHOOK_SECRET, project.key]) expect(logs).not.toContain(secret); // ...scrubbed
  });

  it('shows only masked hints in API answers', async () => {
    const conn = await gw.call('GET', `/v1/connections/${connectionId}`, { key: project.key });
    expect(conn.body.bot_token_hint).toBe(`xoxb-…${BOT_TOKEN.slice(-4)}`);
    const list = await gw.call('GET', '/v1/destinations', { key: project.key });
    const text = JSON.stringify(list.body) + JSON.stringify(conn.body);
    for (const secret of [BOT_TOKEN, WEBHOOK_SECRET]) expect(text).not.toContain(secret);
  });

  it('keeps everything readable across a key rotation', async () => {
    const newKey = { id: 'rotated', key: randomBytes(32) };
    const both = gw.ctx.keyring.withNewActiveKey(newKey);
    const count = await resealAllSecrets(gw.ctx.db, both);
    expect(count).toBe(3); // bot token, refresh token, webhook URL
    const onlyNew = new Keyring([newKey], 'rotated');
    expect(await connectionBotToken(gw.ctx.db, onlyNew, connectionId)).toBe(BOT_TOKEN);
    const { rows } = await gw.ctx.db.query<{ webhook_url_sealed: string }>("SELECT webhook_url_sealed FROM destinations WHERE kind = 'webhook'");
    expect(onlyNew.decrypt(rows[0].webhook_url_sealed)).toBe(WEBHOOK_URL);
    expect(await resealAllSecrets(gw.ctx.db, both)).toBe(0); // nothing left under the old key
  });
});
