/**
 * The README's field tables for events, event types and destinations, walked through the API: each
 * table must list exactly the fields the route's schema in /openapi.json takes, and every field it
 * documents must be accepted and come back (or have its documented effect). So the docs and the
 * schemas cannot drift apart again (subject_policy was documented and refused).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The backticked names in the first column of the first table after `heading`. */
function documentedFields(heading: string): string[] {
  const start = README.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README has no heading ${heading}`);
  const lines = README.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows = lines.slice(first + 2);
  const table = rows.slice(0, rows.findIndex((line) => !line.startsWith('|')));
  return table.flatMap((row) => [...row.split('|')[1].matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));
}

describe.each(databaseKinds)('every field the README documents works through the API, on %s', (kind) => {
  let gw: TestGateway;
  let slack: StartedEmulator;
  let project: { id: string; key: string };
  let schemas: Record<string, { properties: Record<string, unknown> }>;
  const call = (method: string, path: string, body?: unknown) => gw.call(method, path, { key: project.key, body });

  beforeAll(async () => {
    slack = await startEmulator();
    gw = await createTestGateway(kind, { slackApiUrl: slack.apiUrl, allowedWebhookOrigins: [slack.url] });
    project = await gw.createProject('Documented');
    schemas = ((await (await gw.app.request('/openapi.json')).json()) as any).components.schemas;
  });
  afterAll(async () => {
    await gw?.close();
    await slack?.close();
  });

  it.each([
    ['## Sending events', 'EventInput'],
    ['### Event types and their data', 'EventTypeInput'],
    ['### Destinations', 'DestinationInput'],
  ])('the table under "%s" lists exactly the fields of %s', (heading, schema) => {
    expect(documentedFields(heading).sort()).toEqual(Object.keys(schemas[schema].properties).sort());
  });

  it('events: every documented field is accepted and shown back', async () => {
    const deliverAt = new Date(gw.clock.now() + 3_600_000).toISOString();
    const examples: Record<string, unknown> = {
      type: 'approval.created',
      data: { key: 'DOC-1', action: 'Deploy api', requester: 'Alice' },
      key: 'documented-1',
      subject: 'approval:DOC-1',
      severity: 'high',
      occurred_at: '2026-01-06T09:15:00.000Z',
      deliver_at: deliverAt,
      ttl: 600,
    };
    const fields = documentedFields('## Sending events');
    expect(fields.filter((f) => !(f in examples)), 'give this test an example for each documented field').toEqual([]);
    const sent = await call('POST', '/v1/events', examples);
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    const { body: event } = await call('GET', `/v1/events/${sent.body.event.id}`);
    for (const field of fields.filter((f) => f !== 'ttl')) expect(event[field], field).toEqual(examples[field]);
    expect(Date.parse(event.expires_at) - Date.parse(deliverAt)).toBe(600_000); // ttl counts from deliver_at
  });

  it('event types: every documented field is saved and shown back by PUT and GET', async () => {
    const examples: Record<string, unknown> = {
      description: 'A release went out',
      default_severity: 'low',
      ttl_seconds: 3600,
      template: { text: 'Released {{ data.service }}', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*{{ data.service }}*' } }] },
      sample_data: { service: 'checkout' },
      subject_policy: { action: 'update_and_thread', reply_broadcast: true, update_template: { text: 'Released {{ data.service }} ✅' } },
      data_schema: { type: 'object', properties: { service: { type: 'string', description: 'The service' } }, required: ['service'], additionalProperties: false },
    };
    const fields = documentedFields('### Event types and their data');
    expect(fields.filter((f) => !(f in examples)), 'give this test an example for each documented field').toEqual([]);
    const saved = await call('PUT', '/v1/event-types/docs.release', examples);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const { body: got } = await call('GET', '/v1/event-types/docs.release');
    for (const field of fields) {
      expect(saved.body[field], field).toEqual(examples[field]);
      expect(got[field], field).toEqual(examples[field]);
    }
  });

  it('destinations: every documented field is saved and shown back (or has its documented effect)', async () => {
    const connection = await call('POST', '/v1/connections', { bot_token: slack.defaultWorkspace.botToken });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
    const { channels, users } = slack.defaultWorkspace;
    const policy = { 'approval.executed': { action: 'thread', reply_broadcast: true } };
    const webhook = { name: 'hook', kind: 'webhook', webhook_url: slack.defaultWorkspace.webhookUrl, enabled: false, subscriptions: ['approval.*', 'docs.not_yet'], condition: 'severity >= high', subject_policies: policy, allow_unknown: true };
    const channel = { name: 'channel', kind: 'channel', connection_id: connection.body.id, channel_id: channels.alerts, ephemeral_user_id: users.alice, subscriptions: ['*'] };
    const dmById = { name: 'dm by id', kind: 'dm', connection_id: connection.body.id, user_id: users.bob, subscriptions: ['*'] };
    const dmByEmail = { name: 'dm by email', kind: 'dm', connection_id: connection.body.id, user_email: 'carol@example.com', subscriptions: ['*'] };

    const shown: Record<string, unknown> = {};
    const checks: Record<string, (d: any) => void> = {
      webhook_url: (d) => expect(d.webhook_url_hint).toMatch(/^http.+…/),
      allow_unknown: (d) => expect(d.warnings).toEqual([expect.objectContaining({ field: 'subscriptions[1]', code: 'unknown_event_type' })]),
    };
    for (const body of [webhook, channel, dmById, dmByEmail]) {
      const res = await call('POST', '/v1/destinations', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const { body: got } = await call('GET', `/v1/destinations/${res.body.id}`);
      for (const [field, value] of Object.entries(body)) {
        shown[field] = value;
        if (checks[field]) checks[field](res.body);
        else {
          expect(res.body[field], field).toEqual(value);
          expect(got[field], field).toEqual(value);
        }
      }
    }
    const fields = documentedFields('### Destinations');
    expect(fields.filter((f) => !(f in shown)), 'give this test an example for each documented field').toEqual([]);

    const patched = await call('PATCH', `/v1/destinations/${(await call('GET', '/v1/destinations')).body.destinations[0].id}`, { subject_policies: { 'approval.expired': { action: 'update' } } });
    expect(patched.status).toBe(200);
    expect(patched.body.subject_policies).toEqual({ 'approval.expired': { action: 'update' } });
  });
});
