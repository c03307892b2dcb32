/**
 * Fuzz over every route that takes a body, found in the served /openapi.json (so a new route is
 * fuzzed without anyone remembering to add it), plus every GET route's path and query: bodies built
 * from each route's own properties with hostile values (NUL, unpaired surrogates, control characters,
 * `__proto__` keys, huge and deeply nested values, wrong types). Every answer must be below 500 and a
 * 4xx must carry { error: { code, message } }. Slack is the local emulator, so routes that call it
 * (connections, test messages) get real answers.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

interface Operation {
  method: string;
  path: string;
  properties: string[];
}

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('a\u0000b', '\ud800', 'x\udc00y', '\u202eevil', 'line\nbreak', '\u0007', '', ' ', '__proto__', 'constructor', "'; DROP TABLE events; --", '{{ data.x }}', '{% for i in (1..99999999) %}x{% endfor %}', 'https://user:pass@hooks.slack.com/services/T/B/x', 'xoxb-not-a-real-token'),
  fc.string({ minLength: 1000, maxLength: 3000 }),
  fc.constant('x'.repeat(70_000)),
);
const leaf = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(1e308, -1, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER));
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(hostileString, tie('value'), { maxKeys: 4 })),
})).value;

/**
 * A body that passes each route's validation, so hostile values reach the code behind it. A route
 * added later without an entry here is still fuzzed, from an empty object.
 */
function validBody(op: Operation, ids: Record<string, string>, webhookUrl: string): Record<string, unknown> {
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /v1/events': { type: 'alert.triggered', subject: 'alert:fuzz', data: { service: 'api', title: 'Fuzz' } },
    'POST /v1/events/batch': { events: [{ type: 'alert.triggered', data: { service: 'api', title: 'Fuzz', a: 1 } }, { type: 'deployment.started', data: { service: 'api', version: 'v1', environment: 'prod' } }] },
    'POST /v1/projects': { name: 'Fuzzed project', settings: { a: 1 } },
    'PATCH /v1/projects/{project_id}': { name: 'Renamed', settings: { b: 2 } },
    'POST /v1/projects/{project_id}/api-keys': { name: 'fuzz key' },
    'POST /v1/destinations': { name: 'fuzz dest', kind: 'webhook', webhook_url: webhookUrl, subscriptions: ['alert.*'], condition: 'severity >= high' },
    'PATCH /v1/destinations/{destination_id}': { name: 'renamed', subscriptions: ['*'] },
    'PUT /v1/event-types/{name}': {
      description: 'fuzz',
      template: { text: 'Hello {{ data.name }}' },
      sample_data: { name: 'x' },
      subject_policy: { action: 'thread', reply_broadcast: true },
      data_schema: { type: 'object', properties: { name: { type: 'string', description: 'a name' } }, required: ['name'] },
    },
    'POST /v1/event-types/{name}/preview': { data: { name: 'x' }, severity: 'high' },
    'POST /v1/templates/preview': { template: { text: '{{ data.a }}', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '{{ data.a }}' } }] }, data: { a: 1 } },
    'POST /v1/deliveries/retry': { destination_id: ids.destination_id },
    'POST /v1/deliveries/cancel': { destination_id: ids.destination_id, status: 'pending' },
    'POST /v1/connections': { bot_token: 'xoxb-fuzz' },
    'POST /v1/connections/install': {},
  };
  return structuredClone(bodies[`${op.method} ${op.path}`] ?? {});
}

/** Sets `value` at a random place in `body`: a top-level field, or inside an object or array it holds. */
function plant(body: Record<string, unknown>, path: number[], key: string, value: unknown): Record<string, unknown> {
  let target: any = body;
  for (const step of path) {
    const children = Object.values(target).filter((v) => typeof v === 'object' && v !== null);
    if (children.length === 0) break;
    target = children[step % children.length];
  }
  if (Array.isArray(target)) target[target.length ? path.length % target.length : 0] = value;
  else target[key] = value;
  return body;
}

/** JSON text for a body: a valid body with hostile values planted in it, or hostile shapes outright. */
function bodyFor(op: Operation, base: () => Record<string, unknown>): fc.Arbitrary<string> {
  const known = op.properties.length ? fc.constantFrom(...op.properties) : hostileString;
  const planted = fc
    .tuple(fc.array(fc.nat(5), { maxLength: 3 }), fc.oneof(known, known, hostileString), hostileValue, fc.boolean())
    .map(([path, key, value, withProto]) => {
      const text = JSON.stringify(plant(base(), path, key, value));
      return withProto ? text.replace(/^\{/, '{"__proto__":{"polluted":1},').replace(',}', '}') : text;
    });
  return fc.oneof(
    planted,
    planted,
    planted,
    fc.dictionary(fc.oneof(known, hostileString), hostileValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
    fc.nat({ max: 3000 }).map((depth) => `{"${op.properties[0] ?? 'data'}":${'['.repeat(depth)}${']'.repeat(depth)}}`),
    fc.constantFrom('', 'null', '[]', '"x"', '{', '{"a":1,"a":2}', '\ufeff{}', '{"data":{"s":"\\u0000"}}'),
  );
}

describe.each(databaseKinds)('hostile input on every route, on %s', (kind) => {
  let gw: TestGateway;
  let slack: StartedEmulator;
  let project: { id: string; key: string };
  const ids: Record<string, string> = {};
  let operations: Operation[] = [];
  let getPaths: string[] = [];

  beforeAll(async () => {
    slack = await startEmulator({ rateLimits: { enabled: false } });
    const app = slack.defaultWorkspace;
    gw = await createTestGateway(kind, {
      slackApiUrl: slack.apiUrl,
      allowedWebhookOrigins: [slack.url],
      slackApp: { clientId: app.clientId, clientSecret: app.clientSecret, signingSecret: app.signingSecret, authorizeUrl: `${slack.url}/oauth/v2/authorize`, features: [] },
    });
    project = await gw.createProject('Fuzz');
    const hook = await gw.call('POST', '/v1/destinations', { key: project.key, body: { name: 'hook', kind: 'webhook', webhook_url: slack.defaultWorkspace.webhookUrl, subscriptions: ['*'] } });
    const connection = await gw.call('POST', '/v1/connections', { key: project.key, body: { bot_token: slack.defaultWorkspace.botToken } });
    const event = await gw.call('POST', '/v1/events', { key: project.key, body: { type: 'alert.triggered', subject: 'alert:fuzz', data: { service: 'api', title: 'Fuzz' } } });
    const keys = await gw.call('GET', `/v1/projects/${project.id}/api-keys`);
    Object.assign(ids, {
      project_id: project.id,
      destination_id: hook.body.id,
      connection_id: connection.body.id,
      event_id: event.body.event.id,
      delivery_id: event.body.event.deliveries[0]?.id ?? 'dlv_none',
      key_id: keys.body.api_keys[0].id,
      name: 'custom.fuzzed',
      subject: 'alert:fuzz',
    });
    const doc = (await gw.app.request('/openapi.json')).json() as Promise<{ paths: Record<string, Record<string, any>> }>;
    const paths = (await doc).paths;
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (['post', 'put', 'patch'].includes(method) && schema) {
          const resolved = schema.$ref ? (await doc as any).components?.schemas?.[schema.$ref.split('/').pop()] : schema;
          operations.push({ method: method.toUpperCase(), path, properties: Object.keys(resolved?.properties ?? {}) });
        }
        if (method === 'get') getPaths.push(path);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await gw?.close();
    await slack?.close();
  });

  const fill = (path: string, override?: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => override ?? ids[name] ?? ids[name.replace(/^.*_id$/, 'project_id')] ?? 'x');

  async function expectClientError(method: string, path: string, body: string | undefined, key: string) {
    const res = await gw.call(method, path, { key, body: body ?? undefined, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
    const label = `${method} ${path} ${String(body).slice(0, 160)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
    expect(res.status, label).toBeLessThan(500);
    if (res.status >= 400) {
      expect(typeof res.body?.error?.code, label).toBe('string');
      expect(typeof res.body?.error?.message, label).toBe('string');
    }
  }

  it('found the body-taking routes in /openapi.json', () => {
    expect(operations.length).toBeGreaterThanOrEqual(14);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['POST /v1/events', 'POST /v1/events/batch', 'PUT /v1/event-types/{name}', 'POST /v1/destinations']));
  });

  it('never answers 5xx to a hostile body on any body-taking route', async () => {
    const runs = kind === 'postgres' ? 120 : 250; // about 5,000 bodies over both engines
    for (const op of operations) {
      // The admin key for project routes (a project key may not create projects), the project key elsewhere.
      const key = op.path.startsWith('/v1/projects') ? gw.adminKey : project.key;
      await fc.assert(
        fc.asyncProperty(bodyFor(op, () => validBody(op, ids, slack.defaultWorkspace.webhookUrl)), async (body) => expectClientError(op.method, fill(op.path), body, key)),
        { numRuns: runs },
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 600_000);

  it('never answers 5xx to hostile path parameters and query strings on GET routes', async () => {
    const pathValue = fc.constantFrom('%00', '%ED%A0%80', '%E0%A4%A', "evt_'--", 'x'.repeat(3000), '..%2F..%2Fetc', '%C0%AF', '__proto__', '%F0%9F%9A%80');
    const queryValue = fc.oneof(pathValue, fc.constantFrom('-1', '1e309', 'NaN', '99999999999', '', 'true'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...getPaths), pathValue, fc.constantFrom('limit', 'cursor', 'type', 'subject', 'status', 'destination_id', 'since', 'event_id', 'q'), queryValue, async (path, p, q, v) => {
        const target = path.includes('{') ? fill(path, p) : path;
        await expectClientError('GET', `${target}?${q}=${v}`, undefined, project.key);
      }),
      { numRuns: kind === 'postgres' ? 300 : 600 },
    );
  }, 600_000);
});
