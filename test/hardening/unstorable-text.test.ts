/**
 * M1, L5, L6: text PostgreSQL cannot store (NUL, unpaired surrogates) and `__proto__` keys are refused
 * at the edge with a 400 naming where they are, on every route that takes them; a batch rejects
 * only the bad event; names refuse control characters; project settings are capped.
 * Bodies are sent as raw JSON text, as a client would: JSON.stringify would not produce these escapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const NUL = '"a\\u0000b"';
const SURROGATE = '"\\ud800"';

describe.each(databaseKinds)('text that cannot be stored, on %s', (kind) => {
  let gw: TestGateway;
  let project: { id: string; key: string };
  let destinationId: string;

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: ['http://127.0.0.1:3999'] });
    project = await gw.createProject('Text');
    const d = await gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'hook', kind: 'webhook', webhook_url: 'http://127.0.0.1:3999/services/T0/B0/textsecret123', subscriptions: ['*'] },
    });
    destinationId = d.body.id;
  });
  afterAll(async () => gw?.close());

  const raw = (method: string, path: string, body: string, key = project.key) => gw.call(method, path, { key, body });

  function expect400(res: { status: number; body: any }, pointer: RegExp) {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(pointer);
  }

  it('refuses NUL and unpaired surrogates in every body-taking route, naming the field', async () => {
    const admin = gw.adminKey;
    const cases: Array<[string, string, string, RegExp, string?]> = [
      ['POST', '/v1/events', `{"type":"alert.triggered","data":{"s":${NUL}}}`, /\/data\/s.*NUL/],
      ['POST', '/v1/events', `{"type":"alert.triggered","subject":${SURROGATE}}`, /\/subject.*surrogate/],
      ['POST', '/v1/events', `{"type":"alert.triggered","key":${NUL}}`, /\/key/],
      ['POST', '/v1/events', `{"type":"alert.triggered","data":{${NUL}:1}}`, /key.*NUL/],
      ['POST', '/v1/projects', `{"name":${NUL}}`, /\/name/, admin],
      ['PATCH', `/v1/projects/${'PROJECT'}`, `{"name":${SURROGATE}}`, /\/name/, admin],
      ['POST', `/v1/projects/${'PROJECT'}/api-keys`, `{"name":${NUL}}`, /\/name/, admin],
      ['POST', '/v1/destinations', `{"name":"x","kind":"webhook","webhook_url":"http://127.0.0.1:3999/services/T/B/x","condition":${NUL}}`, /\/condition/],
      ['PATCH', `/v1/destinations/${'DEST'}`, `{"name":${NUL}}`, /\/name/],
      ['PUT', '/v1/event-types/custom.thing', `{"description":${NUL}}`, /\/description/],
      ['PUT', '/v1/event-types/custom.thing', `{"template":{"text":${SURROGATE}}}`, /\/template\/text/],
      ['PUT', '/v1/event-types/custom.thing', `{"sample_data":{"a":${NUL}}}`, /\/sample_data\/a/],
      ['POST', '/v1/deliveries/retry', `{"destination_id":${NUL}}`, /\/destination_id/],
      ['POST', '/v1/deliveries/cancel', `{"destination_id":${NUL}}`, /\/destination_id/],
      ['POST', '/v1/templates/preview', `{"template":{"text":"x"},"data":{"a":${SURROGATE}}}`, /\/data\/a/],
    ];
    for (const [method, path, body, pointer, key] of cases) {
      const res = await raw(method, path.replace('PROJECT', project.id).replace('DEST', destinationId), body, key ?? project.key);
      expect400(res, pointer);
    }
  });

  it('refuses them in query strings and paths', async () => {
    for (const path of ['/v1/events?cursor=%00', '/v1/events?type=%00', `/v1/deliveries?destination_id=%00`, '/v1/events/%00', '/v1/deliveries/%00', '/v1/destinations/%00', '/v1/subjects/%00', '/v1/event-types/%00', '/v1/connections/%00', '/v1/events/%ED%A0%80']) {
      const res = await gw.call('GET', path, { key: project.key });
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400);
    }
  });

  it('accepts the valid events of a batch and rejects only the poisoned one', async () => {
    const res = await raw(
      'POST',
      '/v1/events/batch',
      `{"events":[{"type":"alert.triggered","key":"batch-ok-1","data":{"service":"api","title":"ok"}},{"type":"alert.triggered","data":{"s":${NUL}}},{"type":"alert.triggered","key":"batch-ok-2","subject":${SURROGATE}}]}`,
    );
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(res.body.results[1].error.message).toMatch(/\/data\/s/);
    const replay = await gw.call('POST', '/v1/events', { key: project.key, body: { type: 'alert.triggered', key: 'batch-ok-1', data: { service: 'api', title: 'ok' } } });
    expect(replay.body.replayed).toBe(true);
  });

  it('refuses bodies nested deeper than the limit, whatever is inside', async () => {
    const deep = `${'['.repeat(150)}"a\\u0000b"${']'.repeat(150)}`;
    const res = await raw('POST', '/v1/events', `{"type":"alert.triggered","data":{"a":${deep}}}`);
    expect400(res, /nested more than 100 levels/);
    const batch = await raw('POST', '/v1/events/batch', `{"events":[{"type":"alert.triggered","key":"deep-ok","data":{"service":"api","title":"ok"}},{"type":"alert.triggered","data":{"a":${deep}}}]}`);
    expect(batch.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
  });

  it('refuses __proto__ keys instead of dropping them', async () => {
    expect400(await raw('POST', '/v1/events', '{"type":"alert.triggered","data":{"a":1,"__proto__":"x"}}'), /\/data\/__proto__/);
    expect400(await raw('POST', '/v1/projects', '{"name":"p","settings":{"__proto__":{"polluted":true}}}', gw.adminKey), /__proto__/);
    expect400(await raw('PUT', '/v1/event-types/custom.proto', '{"sample_data":{"nested":{"__proto__":1}}}'), /\/sample_data\/nested\/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses control characters in names and caps project settings', async () => {
    for (const name of ['line\nbreak', 'bell\u0007', 'rtl\u202eoverride', 'del\u007f']) {
      const res = await gw.call('POST', '/v1/projects', { body: { name } });
      expect(res.status, name).toBe(400);
      expect(JSON.stringify(res.body.error)).toMatch(/control characters/);
    }
    const big = await gw.call('POST', '/v1/projects', { body: { name: 'big', settings: { blob: 'x'.repeat(20_000) } } });
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body.error)).toMatch(/16384 bytes/);
    expect((await gw.call('POST', '/v1/projects', { body: { name: 'Ünïcödé 🚀 ok', settings: { a: 1 } } })).status).toBe(201);
  });
});
