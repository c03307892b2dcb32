/**
 * Data contracts and checks against what exists: an event type's data schema at ingest (422 naming
 * the field, warnings for fields it does not declare), subscriptions and conditions naming types and
 * severities that do not exist ("did you mean …?"), and subject_policy through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const ORIGIN = 'http://127.0.0.1:3999';
let hookCounter = 0;
const hook = () => `${ORIGIN}/services/T0DATA/B0DATA${++hookCounter}/secretpart${hookCounter}xyz`;

const releaseSchema = {
  type: 'object',
  properties: {
    service: { type: 'string', description: 'The service released' },
    version: { type: 'string', description: 'Its new version' },
    changes: { type: 'integer', minimum: 0, description: 'How many changes it brings' },
  },
  required: ['service', 'version'],
  additionalProperties: false,
};

describe.each(databaseKinds)('data contracts on %s', (kind) => {
  let gw: TestGateway;
  let project: { id: string; key: string };
  const call = (method: string, path: string, body?: unknown) => gw.call(method, path, { key: project.key, body });
  const send = (body: unknown) => call('POST', '/v1/events', body);
  const destination = (body: Record<string, unknown>) => call('POST', '/v1/destinations', { name: 'hook', kind: 'webhook', webhook_url: hook(), ...body });

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    project = await gw.createProject('Contracts');
  });
  afterAll(async () => gw?.close());

  describe('ingest', () => {
    it('refuses data missing a required field with 422, naming the field and the near miss that was sent', async () => {
      const res = await send({ type: 'approval.created', data: { key: 'APR-1', action: 'Pay invoice', requestor: 'Alice' } });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('data_invalid');
      expect(res.body.error.message).toContain('/data/requester is required (you sent requestor: did you mean requester?)');
      expect(res.body.error.details.problems).toEqual([expect.objectContaining({ pointer: '/data/requester', suggestion: 'requester' })]);
      const { rows } = await gw.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE type = 'approval.created' AND data->>'requestor' = 'Alice'");
      expect(rows[0].n).toBe(0);
    });

    it('refuses a mistyped field (text for a number) with 422 naming it', async () => {
      const res = await send({ type: 'challenge.progress', data: { participant: 'Sam', current: '3', target: 5 } });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('data_invalid');
      expect(res.body.error.message).toContain('/data/current must be a number, not text ("3")');
    });

    it('accepts a field the type does not declare, with a warning naming the near miss', async () => {
      const res = await send({ type: 'approval.created', data: { key: 'APR-2', action: 'Pay invoice', requester: 'Alice', reqester_id: 'U0ALICE' } });
      expect(res.status).toBe(202);
      expect(res.body.warnings).toEqual([
        { code: 'unknown_field', pointer: '/data/reqester_id', suggestion: 'requester_id', message: expect.stringContaining('did you mean requester_id?') },
      ]);
      const clean = await send({ type: 'approval.created', data: { key: 'APR-3', action: 'Pay invoice', requester: 'Alice' } });
      expect(clean.status).toBe(202);
      expect(clean.body.warnings).toBeUndefined();
    });

    it('gives batch results their own warnings and errors', async () => {
      const res = await call('POST', '/v1/events/batch', {
        events: [
          { type: 'alert.triggered', data: { service: 'api', title: 'Errors', servise: 'api' } },
          { type: 'alert.triggered', data: { service: 'api' } },
          { type: 'alert.triggered', data: { service: 'api', title: 'Fine' } },
        ],
      });
      expect(res.status).toBe(202);
      const [near, missing, fine] = res.body.results;
      expect(near.status).toBe('accepted');
      expect(near.warnings[0].message).toContain('did you mean service?');
      expect(missing.status).toBe('rejected');
      expect(missing.error).toMatchObject({ code: 'data_invalid', message: expect.stringContaining('/data/title is required') });
      expect(fine.status).toBe('accepted');
      expect(fine.warnings).toBeUndefined();
    });

    it("accepts every built-in type's sample data without warnings (the demo and previews keep working)", async () => {
      const { body } = await call('GET', '/v1/event-types');
      const builtIns = (body.event_types as { name: string; source: string; sample_data: unknown; data_schema: unknown }[]).filter((t) => t.source === 'built_in');
      expect(builtIns.length).toBeGreaterThanOrEqual(19);
      for (const type of builtIns) {
        expect(type.data_schema, type.name).toMatchObject({ type: 'object', properties: expect.any(Object) });
        const res = await send({ type: type.name, data: type.sample_data });
        expect(res.status, `${type.name}: ${JSON.stringify(res.body)}`).toBe(202);
        expect(res.body.warnings, type.name).toBeUndefined();
      }
    });
  });

  describe("a project's own data schema", () => {
    it('is checked when saved, shown by GET, enforced at ingest, and makes the preview sample', async () => {
      const bad = await call('PUT', '/v1/event-types/ops.release', { template: { text: 'x' }, data_schema: { type: 'object', properties: { n: { type: 'numbr' } } } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('data_schema/properties/n/type: "numbr" is not a type: did you mean number?');

      const saved = await call('PUT', '/v1/event-types/ops.release', { template: { text: 'Released {{ data.service }} {{ data.version }}' }, data_schema: releaseSchema });
      expect(saved.status).toBe(200);
      expect(saved.body.data_schema).toEqual(releaseSchema);
      expect(saved.body.sample_data).toEqual({ service: 'sample service', version: 'sample version', changes: 0 });
      expect((await call('GET', '/v1/event-types/ops.release')).body.data_schema).toEqual(releaseSchema);

      const preview = await call('POST', '/v1/event-types/ops.release/preview', {});
      expect(preview.status).toBe(200);
      expect(preview.body.text).toBe('Released sample service sample version');

      const unknown = await send({ type: 'ops.release', data: { service: 'api', version: 'v2', chnages: 3 } });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.message).toContain('/data/chnages is not a field of ops.release: did you mean changes?');
      expect((await send({ type: 'ops.release', data: { service: 'api', version: 'v2', changes: 3 } })).status).toBe(202);

      const badSample = await call('PUT', '/v1/event-types/ops.release', { template: { text: 'x' }, data_schema: releaseSchema, sample_data: { service: 'api' } });
      expect(badSample.status).toBe(422);
      expect(badSample.body.error.message).toContain('/sample_data/version is required');
    });

    it('lets an override keep the built-in contract, or replace it', async () => {
      const kept = await call('PUT', '/v1/event-types/alert.triggered', { description: 'Our alerts' });
      expect(kept.status).toBe(200);
      expect(kept.body.source).toBe('override');
      expect(kept.body.data_schema.required).toEqual(['service', 'title']);
      expect((await send({ type: 'alert.triggered', data: { service: 'api' } })).status).toBe(422);

      const own = await call('PUT', '/v1/event-types/alert.triggered', { data_schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] } });
      expect(own.status).toBe(200);
      expect((await send({ type: 'alert.triggered', data: { title: 'Only a title' } })).status).toBe(202);
      expect((await call('DELETE', '/v1/event-types/alert.triggered')).status).toBe(204);
    });
  });

  describe('subscriptions and conditions', () => {
    it('refuses approvals.* with "did you mean approval.*"', async () => {
      const res = await destination({ subscriptions: ['alert.*', 'approvals.*'] });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('subscriptions[1] "approvals.*" matches no event type: did you mean approval.*?');
      expect(res.body.error.details).toMatchObject({ field: 'subscriptions[1]', suggestion: 'approval.*' });
    });

    it('refuses alert.trigered naming alert.triggered', async () => {
      const res = await destination({ subscriptions: ['alert.trigered'] });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('did you mean alert.triggered?');
    });

    it('accepts unknown types with allow_unknown, with a warning; a defined type is known', async () => {
      const res = await destination({ subscriptions: ['billing.invoice_paid', 'alert.trigered'], allow_unknown: true });
      expect(res.status).toBe(201);
      expect(res.body.subscriptions).toEqual(['billing.invoice_paid', 'alert.trigered']);
      expect(res.body.warnings).toEqual([
        expect.objectContaining({ code: 'unknown_event_type', field: 'subscriptions[0]', message: expect.stringContaining('matches no event type yet') }),
        expect.objectContaining({ field: 'subscriptions[1]', suggestion: 'alert.triggered' }),
      ]);
      // Changing something else does not ask again about what was accepted before.
      const renamed = await call('PATCH', `/v1/destinations/${res.body.id}`, { name: 'billing', subscriptions: ['billing.invoice_paid', 'alert.trigered'] });
      expect(renamed.status).toBe(200);
      expect(renamed.body.warnings).toBeUndefined();

      expect((await call('PUT', '/v1/event-types/billing.invoice_paid', { template: { text: 'paid' } })).status).toBe(200);
      const known = await destination({ subscriptions: ['billing.*'] });
      expect(known.status).toBe(201);
      expect(known.body.warnings).toBeUndefined();
    });

    it('checks subject_policies keys the same way', async () => {
      const res = await destination({ subscriptions: ['approval.*'], subject_policies: { 'approval.execute': { action: 'thread' } } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('did you mean approval.executed?');
    });

    it('says "did you mean high?" for severity >= hgh', async () => {
      const res = await destination({ subscriptions: ['alert.*'], condition: 'severity >= hgh' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('condition_invalid');
      expect(res.body.error.message).toContain('unknown severity hgh at column 13: did you mean high?');
    });
  });

  describe('subject_policy', () => {
    it('round-trips through PUT and GET /v1/event-types/{name}, and applies', async () => {
      const policy = { action: 'update_and_thread', reply_broadcast: true, update_template: { text: '✅ {{ data.service }} done' } };
      const saved = await call('PUT', '/v1/event-types/ops.job', { template: { text: 'job {{ data.service }}' }, subject_policy: policy });
      expect(saved.status).toBe(200);
      expect(saved.body.subject_policy).toEqual(policy);
      expect((await call('GET', '/v1/event-types/ops.job')).body.subject_policy).toEqual(policy);
      const listed = (await call('GET', '/v1/event-types')).body.event_types.find((t: { name: string }) => t.name === 'ops.job');
      expect(listed.subject_policy).toEqual(policy);

      const dst = await destination({ subscriptions: ['ops.job'] });
      const event = await send({ type: 'ops.job', subject: 'job:1', data: { service: 'api' } });
      expect(event.status).toBe(202);
      const { rows } = await gw.ctx.db.query<{ subject_action: string; reply_broadcast: boolean }>(
        'SELECT subject_action, reply_broadcast FROM deliveries WHERE event_id = $1 AND destination_id = $2',
        [event.body.event.id, dst.body.id],
      );
      expect(rows).toEqual([{ subject_action: 'update_and_thread', reply_broadcast: true }]);

      const bad = await call('PUT', '/v1/event-types/ops.job', { subject_policy: { action: 'reply' } });
      expect(bad.status).toBe(400);
      const cleared = await call('PUT', '/v1/event-types/ops.job', { template: { text: 'job' }, subject_policy: null });
      expect(cleared.body.subject_policy).toBeNull();
    });
  });

  it('describes data_schema, subject_policy and warnings in /openapi.json', async () => {
    const doc = (await gw.app.request('/openapi.json')).json() as Promise<any>;
    const schemas = (await doc).components.schemas;
    expect(Object.keys(schemas.EventType.properties)).toEqual(expect.arrayContaining(['data_schema', 'subject_policy']));
    expect(Object.keys(schemas.EventTypeInput.properties)).toEqual(expect.arrayContaining(['data_schema', 'subject_policy']));
    expect(schemas.SubjectPolicy.properties.action.enum).toEqual(['new', 'thread', 'update', 'update_and_thread']);
    expect(Object.keys(schemas.AcceptedEvent.properties)).toContain('warnings');
    expect(Object.keys(schemas.DestinationInput.properties)).toContain('allow_unknown');
  });
});
