/**
 * Webhook URLs with a user name and password (`https://user:password@…`): refused when a
 * destination is created or changed; and a destination stored with one before that rule (inserted
 * here directly, sealed as the destination store seals URLs) is reported broken with a hint on
 * the Test button and by the queue, while its webhook's secret path and the password appear
 * nowhere: not in API answers, not in any table, not in the logs. A refused URL's message names
 * Slack's origin only, never the other origins the operator allowed.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../../src/ids.ts';
import { maskSecret } from '../../src/secrets/mask-secret.ts';
import { WEBHOOK_HINTS } from '../../src/slack/slack-error-hints.ts';
import type { SlackTransport } from '../../src/slack/slack-transport.ts';
import { WebhookTransport } from '../../src/slack/webhook-transport.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { EVENT_TYPE, projectWithEventType, sendNumbered, type Project } from './delivery-fixtures.ts';

const PASSWORD = 'Pa55wordQz7Kx';
/** An internal origin the operator allowed, which no tenant should learn of. */
const INTERNAL_ORIGIN = 'http://10.20.30.40:3911';

/** Every row of every table, as text. */
async function databaseText(gw: TestGateway): Promise<string> {
  const { rows: tables } = await gw.ctx.db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await gw.ctx.db.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

describe.each(databaseKinds)('webhook URLs with a user name and password on %s', (kind) => {
  let slack: StartedEmulator;
  let gw: TestGateway;
  let project: Project;
  /** The emulator's webhook URL, its secret last part, and the same URL with userinfo. */
  let hook: { url: string; secret: string; withUserinfo: string };

  beforeAll(async () => {
    slack = await startEmulator({ rateLimits: { enabled: false } });
    gw = await createTestGateway(kind, { slackApiUrl: slack.apiUrl, allowedWebhookOrigins: [slack.url, INTERNAL_ORIGIN] }, { delivery: { retryDelayScale: 0.01 } });
    project = await projectWithEventType(gw, 'Userinfo');
    const url = slack.defaultWorkspace.webhookUrl;
    const u = new URL(url);
    hook = { url, secret: u.pathname.split('/').pop()!, withUserinfo: `${u.protocol}//usr:${PASSWORD}@${u.host}${u.pathname}` };
  });
  afterAll(async () => {
    await gw?.close();
    await slack?.close();
  });

  function create(webhookUrl: string) {
    return gw.call('POST', '/v1/destinations', { key: project.key, body: { name: 'hook', kind: 'webhook', webhook_url: webhookUrl, subscriptions: ['*'] } });
  }

  it('refuses a URL with a user name or password, or another port on hooks.slack.com, without repeating it', async () => {
    const refused = [
      hook.withUserinfo,
      `https://usr:${PASSWORD}@hooks.slack.com/services/T0FAKE/B0FAKE/notarealsecret`,
      'https://onlyauser@hooks.slack.com/services/T0FAKE/B0FAKE/notarealsecret',
      'https://hooks.slack.com:8443/services/T0FAKE/B0FAKE/notarealsecret',
    ];
    for (const url of refused) {
      const res = await create(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('webhook_url_invalid');
      expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
      expect(JSON.stringify(res.body)).not.toContain('notarealsecret');
    }
    expect((await create(hook.withUserinfo)).body.error.message).toMatch(/user name or password/);
    expect((await create('https://hooks.slack.com:8443/services/T0FAKE/B0FAKE/notarealsecret')).body.error.message).toMatch(/port/);

    const ok = await create(hook.url);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const patched = await gw.call('PATCH', `/v1/destinations/${ok.body.id}`, { key: project.key, body: { webhook_url: hook.withUserinfo } });
    expect(patched.status).toBe(400);
    expect(patched.body.error.code).toBe('webhook_url_invalid');
    await gw.call('DELETE', `/v1/destinations/${ok.body.id}`, { key: project.key });
  });

  it('does not tell a tenant which other origins the operator allowed', async () => {
    const res = await create('https://example.com/services/T1/B1/xyz');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('webhook_url_invalid');
    expect(res.body.error.message).toMatch(/hooks\.slack\.com/);
    expect(JSON.stringify(res.body)).not.toContain(INTERNAL_ORIGIN);
    expect(JSON.stringify(res.body)).not.toContain(slack.url);
  });

  it('a destination stored with one before: broken with a hint, and its secrets appear nowhere', async () => {
    // As the destination store would have stored it before such URLs were refused.
    const id = newId('dst');
    await gw.ctx.db.query(
      `INSERT INTO destinations (id, project_id, name, kind, webhook_url_sealed, webhook_url_hint, subscriptions, team_id)
       VALUES ($1, $2, 'old hook', 'webhook', $3, $4, $5, $6)`,
      [id, project.id, gw.ctx.keyring.encrypt(hook.withUserinfo), maskSecret(hook.withUserinfo), [EVENT_TYPE], new URL(hook.url).pathname.split('/')[2]],
    );
    const answers: unknown[] = [];

    const test = await gw.call('POST', `/v1/destinations/${id}/test`, { key: project.key });
    answers.push(test.body);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: false, outcome: 'destination_broken', error: 'webhook_url_has_credentials', destination_status: 'needs_attention' });
    expect(test.body.hint).toBe(WEBHOOK_HINTS.webhook_url_has_credentials);

    // The queue, from an active destination again: the delivery is held, not retried for a day.
    await gw.ctx.db.query(`UPDATE destinations SET status = 'active', status_reason = NULL, status_hint = NULL WHERE id = $1`, [id]);
    const [deliveryId] = (await sendNumbered(gw, project, 1, 1)).get(id)!;
    await vi.waitFor(async () => {
      const { rows } = await gw.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM delivery_attempts WHERE delivery_id = $1', [deliveryId]);
      expect(rows[0].n).toBeGreaterThan(0);
    }, { timeout: 10_000, interval: 20 });
    const delivery = await gw.call('GET', `/v1/deliveries/${deliveryId}`, { key: project.key });
    answers.push(delivery.body);
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatchObject({ last_error: 'webhook_url_has_credentials' });
    const destination = await gw.call('GET', `/v1/destinations/${id}`, { key: project.key });
    answers.push(destination.body);
    expect(destination.body).toMatchObject({ status: 'needs_attention', status_reason: 'webhook_url_has_credentials' });
    answers.push((await gw.call('GET', '/v1/destinations', { key: project.key })).body);
    answers.push((await gw.call('GET', `/v1/deliveries?destination_id=${id}`, { key: project.key })).body);

    const places = { 'API answers': JSON.stringify(answers), database: await databaseText(gw), logs: gw.logs.join('\n') };
    for (const [place, text] of Object.entries(places)) {
      expect(text, place).not.toContain(PASSWORD);
      expect(text, place).not.toContain(hook.secret);
    }
    expect((await slack.control.messages(slack.defaultWorkspace.teamId, 'alerts')).messages).toHaveLength(0);
  });

  it('whatever a transport reports, no secret of it is stored, shown or logged', async () => {
    // A transport whose error, request and response all quote the URL whole.
    const leaky: SlackTransport = {
      send: async () => ({
        outcome: { kind: 'retry', error: `network error: could not reach ${hook.withUserinfo}` },
        request: { url: hook.withUserinfo },
        response: `echo ${hook.withUserinfo}`,
        httpStatus: 502,
        latencyMs: 1,
      }),
    };
    const real = gw.ctx.transports.webhook;
    gw.ctx.transports.webhook = leaky; // the worker shares this object
    try {
      const project2 = await projectWithEventType(gw, 'Leaky');
      const created = await gw.call('POST', '/v1/destinations', { key: project2.key, body: { name: 'hook', kind: 'webhook', webhook_url: hook.url, subscriptions: [EVENT_TYPE] } });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const test = await gw.call('POST', `/v1/destinations/${id}/test`, { key: project2.key });
      expect(test.body).toMatchObject({ ok: false, outcome: 'retry' });
      expect(test.body.error).toMatch(/^network error: could not reach http:\/\/127\.0\.0\.1:\d+\/services\/T…\/B…\/…/);
      const [deliveryId] = (await sendNumbered(gw, project2, 1, 1)).get(id)!;
      await vi.waitFor(async () => {
        const { rows } = await gw.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM delivery_attempts WHERE delivery_id = $1', [deliveryId]);
        expect(rows[0].n).toBeGreaterThan(0);
      }, { timeout: 10_000, interval: 20 });
      const delivery = await gw.call('GET', `/v1/deliveries/${deliveryId}`, { key: project2.key });
      expect(delivery.body.last_error).toMatch(/^network error: could not reach /);
      const places = { 'API answers': JSON.stringify([test.body, delivery.body]), database: await databaseText(gw), logs: gw.logs.join('\n') };
      for (const [place, text] of Object.entries(places)) {
        expect(text, place).not.toContain(PASSWORD);
        expect(text, place).not.toContain(hook.secret);
      }
    } finally {
      gw.ctx.transports.webhook = real;
    }
  });
});

describe('the webhook transport', () => {
  it('scrubs what a failing webhook answers before reporting it', async () => {
    const secretUrl = `http://usr:${PASSWORD}@hooks.example/services/T0AAA/B0BBB/EchoedSecret0000`;
    const server = createServer((_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`upstream failed for ${secretUrl}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const report = await new WebhookTransport({ timeoutMs: 5_000 }).send({ kind: 'webhook', url: `http://127.0.0.1:${port}/services/T0AAA/B0BBB/RealSecret00000` }, { text: 'hi' });
      expect(report.outcome).toMatchObject({ kind: 'retry' });
      const text = JSON.stringify(report);
      for (const secret of [PASSWORD, 'EchoedSecret0000'.slice(0, -4), 'RealSecret00000'.slice(0, -4)]) expect(text).not.toContain(secret);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
