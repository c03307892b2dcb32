/**
 * The gateway's /openapi.json as /docs shows it: examples that work when tried.
 * - No request example carries a fixed idempotency `key` (every "Try it out" click would replay
 *   the first), and the `key` property itself has no example or default Swagger UI would fill in.
 * - Every 4xx/5xx response has an example body whose error.code is a code the server answers
 *   with, at that status (the table in src/http/error-response.ts).
 * - Every property named *_at is documented as a date-time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_BY_CODE } from '../../src/http/error-response.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

type Json = Record<string, any>;

let gateway: TestGateway;
let doc: Json;

beforeAll(async () => {
  gateway = await createTestGateway('pglite');
  const res = await gateway.app.request('/openapi.json');
  expect(res.status).toBe(200);
  doc = (await res.json()) as Json;
}, 60_000);

afterAll(async () => {
  await gateway?.close();
});

function resolve(value: Json): Json {
  let v = value;
  while (v && typeof v.$ref === 'string') {
    const path = v.$ref.replace(/^#\//, '').split('/');
    v = path.reduce((o: Json, k: string) => o[k], doc);
  }
  return v;
}

function operations(): { where: string; op: Json }[] {
  const out: { where: string; op: Json }[] = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push({ where: `${method.toUpperCase()} ${path}`, op: op as Json });
    }
  }
  return out;
}

/** Example values of a media type: `example`, every `examples[*].value`, or the schema's example. */
function mediaExamples(media: Json): unknown[] {
  const found: unknown[] = [];
  if (media.example !== undefined) found.push(media.example);
  for (const e of Object.values((media.examples ?? {}) as Json)) found.push(resolve(e as Json).value);
  if (found.length === 0 && media.schema) {
    const schema = resolve(media.schema);
    if (schema.example !== undefined) found.push(schema.example);
  }
  return found;
}

describe('/openapi.json', () => {
  it('has no request example with a fixed idempotency key', () => {
    const withKey: string[] = [];
    let bodies = 0;
    for (const { where, op } of operations()) {
      const media = op.requestBody && resolve(op.requestBody).content?.['application/json'];
      if (!media) continue;
      bodies++;
      for (const example of mediaExamples(media)) {
        if (example && typeof example === 'object' && 'key' in example) withKey.push(`${where}: example has key`);
      }
      const schema = resolve(media.schema ?? {});
      const key = schema.properties?.key && resolve(schema.properties.key);
      if (key) {
        if (key.example !== undefined || key.default !== undefined || key.examples !== undefined) withKey.push(`${where}: key has an example or default`);
        // Without a whole-body example, Swagger UI would fill `key` with a fixed placeholder.
        if (mediaExamples(media).length === 0) withKey.push(`${where}: no whole-body example that leaves key out`);
      }
    }
    expect(bodies).toBeGreaterThan(5);
    expect(withKey).toEqual([]);
  });

  it('gives POST /v1/events a body example without key', () => {
    const media = doc.paths['/v1/events'].post.requestBody.content['application/json'];
    const [example] = mediaExamples(media) as Json[];
    expect(example).toMatchObject({ type: 'approval.created' });
    expect(example).not.toHaveProperty('key');
  });

  it('gives every 4xx/5xx response an example with a code the server answers with at that status', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { where, op } of operations()) {
      for (const [status, response] of Object.entries((op.responses ?? {}) as Json)) {
        if (Number(status) < 400) continue;
        checked++;
        const media = resolve(response as Json).content?.['application/json'];
        const examples = media ? mediaExamples(media) : [];
        if (examples.length === 0) {
          problems.push(`${where} ${status}: no example`);
          continue;
        }
        for (const example of examples) {
          const code = (example as Json)?.error?.code;
          if (typeof code !== 'string' || !(code in STATUS_BY_CODE)) problems.push(`${where} ${status}: unknown code ${String(code)}`);
          else if (STATUS_BY_CODE[code] !== Number(status)) problems.push(`${where} ${status}: ${code} is answered with ${STATUS_BY_CODE[code]}`);
          if (typeof (example as Json)?.error?.message !== 'string') problems.push(`${where} ${status}: example without a message`);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });

  it('documents 503 database_unavailable with Retry-After on the API routes', () => {
    const response = resolve(doc.paths['/v1/events'].post.responses['503']);
    expect(response.headers?.['Retry-After']).toBeDefined();
    expect(mediaExamples(response.content['application/json'])).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: 'database_unavailable' }) })]);
  });

  it('documents every *_at property as a date-time', () => {
    const notDateTime: string[] = [];
    let seen = 0;
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((v, i) => visit(v, `${where}/${i}`));
      if (!node || typeof node !== 'object') return;
      const n = node as Json;
      if (n.properties && typeof n.properties === 'object') {
        for (const [name, prop] of Object.entries(n.properties as Json)) {
          if (!name.endsWith('_at')) continue;
          seen++;
          const p = resolve(prop as Json);
          const formats = [p, ...((p.anyOf ?? p.oneOf ?? []) as Json[])].map((s) => resolve(s).format);
          if (!formats.includes('date-time')) notDateTime.push(`${where}/${name}`);
        }
      }
      for (const [k, v] of Object.entries(n)) if (k !== 'example' && k !== 'examples') visit(v, `${where}/${k}`);
    };
    visit(doc, '');
    expect(seen).toBeGreaterThan(20);
    expect(notDateTime).toEqual([]);
  });
});
