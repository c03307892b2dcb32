/**
 * Thousands of malformed bodies at POST /v1/events and /v1/events/batch: every answer is a 4xx
 * with a JSON error body { error: { code, message } }, never a 5xx.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

describe('malformed bodies at ingest', () => {
  let gw: TestGateway;
  let key: string;
  beforeAll(async () => {
    gw = await createTestGateway('pglite');
    key = (await gw.createProject('Fuzz')).key;
  });
  afterAll(async () => gw?.close());

  const almostEvent = fc.record(
    {
      type: fc.oneof(fc.string(), fc.constantFrom('approval.created', 'alert.triggered', 'x', ''), fc.integer(), fc.constant(null)),
      data: fc.oneof(fc.object(), fc.string(), fc.array(fc.anything()), fc.constant(null), fc.integer()),
      key: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)),
      subject: fc.oneof(fc.string({ maxLength: 300 }), fc.boolean()),
      severity: fc.oneof(fc.constantFrom('info', 'high', 'critical', 'urgent'), fc.integer()),
      occurred_at: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.integer()),
      deliver_at: fc.oneof(fc.string(), fc.constant('2999-01-01T00:00:00Z'), fc.constant('1970-01-01T00:00:00Z')),
      ttl: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    almostEvent.map((e) => JSON.stringify(e)),
    fc.json(),
    fc.string(),
    fc.anything().map((v) => { try { return JSON.stringify(v) ?? 'undefined'; } catch { return 'x'; } }),
    fc.array(almostEvent, { maxLength: 5 }).map((events) => JSON.stringify({ events })),
  );

  it('never answers 5xx, always a JSON error for a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('/v1/events', '/v1/events/batch'), async (raw, path) => {
        const res = await gw.call('POST', path, { key, body: raw });
        expect(res.status, `${path} ${raw.slice(0, 200)} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(typeof res.body?.error?.code).toBe('string');
          expect(typeof res.body?.error?.message).toBe('string');
        }
      }),
      { numRuns: 2000 },
    );
  }, 120_000);
});
