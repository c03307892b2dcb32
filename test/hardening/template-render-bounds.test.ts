/**
 * H1: a template cannot stall the gateway. Every message renders under one budget (time, steps,
 * memory) on both the liquidjs and the fast path; templates whose loops could only go over it are
 * refused when saved; previews render on a worker thread, so other requests are answered meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RENDER_LIMITS, setDefaultRenderLimits } from '../../src/templates/render-budget.ts';
import { sharedRenderPool } from '../../src/templates/render-pool.ts';
import { renderMessage, type MessageTemplate } from '../../src/templates/render-message.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const TRIPLE_LOOP = '{% for a in data.l %}{% for b in data.l %}{% for c in data.l %}{% endfor %}{% endfor %}{% endfor %}done';
const DOUBLE_LOOP = '{% for a in data.l %}{% for b in data.l %}{% endfor %}{% endfor %}done';
const items = (n: number) => Array.from({ length: n }, () => 0);
const context = (data: Record<string, unknown>) => ({ event: { type: 't', severity: 'info' as const, occurred_at: '2026-12-01T00:00:00Z' }, data, project: { name: 'p' } });

function renderError(template: MessageTemplate, data: Record<string, unknown>) {
  try {
    renderMessage(template, context(data));
  } catch (error) {
    return error as { code: string; message: string; details: { limit?: string } };
  }
  throw new Error('rendered without error');
}

describe('the render budget', () => {
  it("ends the report's triple loop over 400 items with the budget's error", () => {
    const error = renderError({ text: TRIPLE_LOOP }, { l: items(400) });
    expect(error.code).toBe('template_invalid');
    expect(['time', 'steps']).toContain(error.details.limit);
    expect(error.message).toMatch(/went over its (time|steps) limit/);
  });

  it('counts steps across every string and $each item of one message, not per string', () => {
    // 60 sections, each looping 60 × 60 = 3,600 steps: each string alone is far under the budget, the message is not.
    const section = { type: 'section', text: { type: 'mrkdwn', text: `{% for a in data.l %}{% for b in data.l %}{% endfor %}{% endfor %}{{ s }}` } };
    const template = { text: 'x', blocks: [{ $each: 'data.sections', as: 's', template: section }] } as unknown as MessageTemplate;
    setDefaultRenderLimits({ timeMs: 60_000 }); // only the step count may end it: deterministic on any machine
    try {
      const error = renderError(template, { l: items(60), sections: items(60) });
      expect(error.details.limit).toBe('steps');
    } finally {
      setDefaultRenderLimits(DEFAULT_RENDER_LIMITS);
    }
  });

  it('bounds memory for the whole message', () => {
    const template = { text: '{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}' };
    expect(renderError(template, {}).code).toBe('template_invalid');
  });

  it('leaves ordinary templates alone', () => {
    const message = renderMessage({ text: '{% for i in data.l %}{{ i }},{% endfor %}' }, context({ l: [1, 2, 3] }));
    expect(message.text).toBe('1,2,3,');
  });
});

describe.each(databaseKinds)('templates that cannot stall the gateway, on %s', (kind) => {
  let gw: TestGateway;
  let project: { id: string; key: string };

  beforeAll(async () => {
    gw = await createTestGateway(kind);
    project = await gw.createProject('Bounds');
  });
  afterAll(async () => gw?.close());

  it('refuses to save loops nested three deep or literal ranges over the budget, naming the reason', async () => {
    const triple = await gw.call('PUT', '/v1/event-types/loop.triple', { key: project.key, body: { template: { text: TRIPLE_LOOP } } });
    expect(triple.status).toBe(422);
    expect(triple.body.error.code).toBe('template_invalid');
    expect(JSON.stringify(triple.body.error)).toMatch(/nested 3 deep/);

    const ranges = await gw.call('PUT', '/v1/event-types/loop.ranges', {
      key: project.key,
      body: { template: { text: '{% for a in (1..3000) %}{% for b in (1..3000) %}{% endfor %}{% endfor %}' } },
    });
    expect(ranges.status).toBe(422);
    expect(JSON.stringify(ranges.body.error)).toMatch(/9,000,000 steps/);
  });

  it('refuses the filters that evaluate an expression per item (nested, they are quadratic and uncounted)', async () => {
    for (const filter of ['find_exp', 'where_exp', 'has_exp', 'find_index_exp', 'reject_exp', 'group_by_exp']) {
      const res = await gw.call('PUT', '/v1/event-types/filter.exp', {
        key: project.key,
        body: { template: { text: `{{ data.l | ${filter}: "a", "data.l | ${filter}: 'b', 'false'" }}` } },
      });
      expect(res.status, filter).toBe(422);
      expect(JSON.stringify(res.body.error), filter).toMatch(/undefined filter/);
    }
  });

  it('bounds a whole batch, not only each message: events past the request budget are rejected, the rest accepted', async () => {
    expect((await gw.call('PUT', '/v1/event-types/loop.batch', { key: project.key, body: { template: { text: DOUBLE_LOOP } } })).status).toBe(200);
    setDefaultRenderLimits({ timeMs: 600_000 }); // only steps may end it: deterministic on any machine
    try {
      // 400 × 400 = 160,000 steps each: under a message's 200,000, and 13 of them over the request's 2,000,000.
      const events = Array.from({ length: 20 }, () => ({ type: 'loop.batch', data: { l: items(400) } }));
      const res = await gw.call('POST', '/v1/events/batch', { key: project.key, body: { events } });
      expect(res.status).toBe(202);
      const statuses = res.body.results.map((r: { status: string }) => r.status);
      expect(statuses.slice(0, 12)).toEqual(Array(12).fill('accepted'));
      expect(statuses.slice(13)).toEqual(Array(7).fill('rejected'));
      expect(res.body.results[19].error.code).toBe('template_invalid');
    } finally {
      setDefaultRenderLimits(DEFAULT_RENDER_LIMITS);
    }
  });

  it('never stores text a filter decoded into a NUL or a broken surrogate pair', async () => {
    const template = { text: '{{ data.x | url_decode }}|{{ "AA==" | base64_decode }}|{{ data.e | split: "" | first }}' };
    expect((await gw.call('PUT', '/v1/event-types/decode.nul', { key: project.key, body: { template } })).status).toBe(200);
    const res = await gw.call('POST', '/v1/events', { key: project.key, body: { type: 'decode.nul', data: { x: '%00', e: '🚀' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const { rows } = await gw.ctx.db.query<{ text: string }>(`SELECT message->>'text' AS text FROM events WHERE id = $1`, [res.body.event.id]);
    expect(rows[0].text).toBe('\uFFFD|\uFFFD|\uFFFD');
  });

  it('answers 422 at ingest when event data makes a saved template go over the budget, and writes nothing', async () => {
    const saved = await gw.call('PUT', '/v1/event-types/loop.double', { key: project.key, body: { template: { text: DOUBLE_LOOP } } });
    expect(saved.status).toBe(200);
    const res = await gw.call('POST', '/v1/events', { key: project.key, body: { type: 'loop.double', key: 'big-1', data: { l: items(1000) } } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('template_invalid');
    expect(res.body.error.message).toMatch(/limit/);
    const { rows } = await gw.ctx.db.query('SELECT 1 FROM events WHERE idempotency_key = $1', ['big-1']);
    expect(rows).toHaveLength(0);
    const small = await gw.call('POST', '/v1/events', { key: project.key, body: { type: 'loop.double', data: { l: items(10) } } });
    expect(small.status).toBe(202);
  });

  it('renders previews on a worker thread: another route is answered while a costly preview runs, which then ends with the bound', async () => {
    const pool = sharedRenderPool();
    const started = new Promise<void>((resolve) => pool.once('started', () => resolve()));
    const order: string[] = [];
    const preview = gw
      .call('POST', '/v1/templates/preview', { key: project.key, body: { template: { text: DOUBLE_LOOP }, data: { l: items(5000) } } })
      .then((res) => {
        order.push('preview');
        return res;
      });
    await started;
    const other = await gw.call('GET', '/v1/event-types/alert.triggered', { key: project.key });
    order.push('other');
    expect(other.status).toBe(200);
    const res = await preview;
    expect(order).toEqual(['other', 'preview']);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('template_invalid');
    expect(res.body.error.message).toMatch(/went over its (time|steps) limit/);
  });
});
