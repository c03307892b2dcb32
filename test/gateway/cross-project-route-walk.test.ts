/**
 * Walks the whole route table: for every route that names a resource, project B's key asking for
 * project A's resource gets 404 — the same answer as for a resource that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveConnection } from '../../src/connections/connection-store.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const ORIGIN = 'http://127.0.0.1:3999';

describe.each(databaseKinds)('cross-project isolation on %s', (kind) => {
  let gw: TestGateway;
  const ids: Record<string, string> = {};
  let a: { id: string; key: string };
  let b: { id: string; key: string };

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    a = await gw.createProject('A');
    b = await gw.createProject('B');
    ids.project_id = a.id;
    const keys = await gw.call('GET', `/v1/projects/${a.id}/api-keys`, { key: a.key });
    ids.key_id = keys.body.api_keys[0].id;
    const connection = await saveConnection(gw.ctx.db, gw.ctx.keyring, a.id, { teamId: 'T0A', teamName: 'A', enterpriseId: null, botUserId: 'U0BOT', appId: 'A0APP', scopes: ['chat:write'] }, { botToken: 'xoxb-emulator-a' });
    ids.connection_id = connection.id;
    const dst = await gw.call('POST', '/v1/destinations', { key: a.key, body: { name: 'a', kind: 'webhook', webhook_url: `${ORIGIN}/services/T0A/B0A/secretaaa`, subscriptions: ['*'] } });
    ids.destination_id = dst.body.id;
    const type = await gw.call('PUT', '/v1/event-types/a_only.thing', { key: a.key, body: { template: { text: 'A {{ data.x }}' } } });
    expect(type.status).toBe(200);
    ids.name = 'a_only.thing';
    const ev = await gw.call('POST', '/v1/events', { key: a.key, body: { type: 'a_only.thing', subject: 'a-only:subject', data: { x: 1 } } });
    ids.event_id = ev.body.event.id;
    ids.delivery_id = ev.body.event.deliveries[0].id;
    ids.subject = 'a-only:subject';
  });
  afterAll(async () => gw?.close());

  it('answers 404 to another project on every route that names a resource', async () => {
    const routes = gw.app.routes.filter((r) => r.path.startsWith('/v1/') && r.path.includes('{') === false && r.path.includes(':'));
    expect(routes.length).toBeGreaterThan(10);
    const checked: string[] = [];
    for (const route of routes) {
      if (route.method === 'ALL') continue;
      // PUT /v1/event-types/{name} creates B's own type of that name; it is checked below.
      if (route.method === 'PUT' && route.path === '/v1/event-types/:name') continue;
      const path = route.path.replace(/:([a-z_]+)/g, (_, name: string) => {
        if (!ids[name]) throw new Error(`no fixture for :${name} in ${route.path}`);
        return encodeURIComponent(ids[name]);
      });
      const body = ['POST', 'PATCH', 'PUT'].includes(route.method) ? {} : undefined;
      const res = await gw.call(route.method, path, { key: b.key, body });
      expect(res.status, `${route.method} ${path} → ${JSON.stringify(res.body)}`).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('secretaaa');
      checked.push(`${route.method} ${route.path}`);
    }
    expect(checked.length).toBeGreaterThan(12);
  });

  it('lists only the caller’s own resources', async () => {
    for (const path of ['/v1/destinations', '/v1/connections', '/v1/events', '/v1/deliveries', '/v1/projects']) {
      const res = await gw.call('GET', path, { key: b.key });
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      for (const id of Object.values(ids)) expect(text, path).not.toContain(id);
    }
  });

  it('does not let B change A’s event type by writing one of the same name', async () => {
    const res = await gw.call('PUT', `/v1/event-types/${ids.name}`, { key: b.key, body: { template: { text: 'B' } } });
    expect(res.status).toBe(200);
    const aType = await gw.call('GET', `/v1/event-types/${ids.name}`, { key: a.key });
    expect(aType.body.template.text).toBe('A {{ data.x }}');
  });

  it('refuses project keys on admin-only routes', async () => {
    const res = await gw.call('POST', '/v1/projects', { key: a.key, body: { name: 'sneaky' } });
    expect(res.status).toBe(403);
  });
});
