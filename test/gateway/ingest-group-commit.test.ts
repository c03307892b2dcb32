/**
 * Group commit (src/ingest/ingest-batcher.ts): requests that arrive while a write is in flight go
 * together in the next statement, whatever their project, and each still gets exactly its own
 * results. Small writes gather behind the one in flight; a large batch starts beside it. One
 * request the database refuses does not fail the others it was grouped with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/db/database.ts';
import type { EventInput } from '../../src/ingest/event-input.ts';
import { IngestBatcher, OVERLAP_MIN_EVENTS } from '../../src/ingest/ingest-batcher.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const ORIGIN = 'http://127.0.0.1:3999';

/** The gateway's database, with every ingest write counted and held back `delayMs`. */
function watchedDatabase(db: Queryable, delayMs = 0) {
  const seen = { writes: 0, inFlight: 0, maxInFlight: 0 };
  const watched: Queryable = {
    exec: (sql) => db.exec(sql),
    async query(sql, params, options) {
      if (!sql.includes('INSERT INTO events')) return db.query(sql, params, options);
      seen.writes++;
      seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return await db.query(sql, params, options);
      } finally {
        seen.inFlight--;
      }
    },
  };
  return { watched, seen };
}

describe.each(databaseKinds)('ingest group commit on %s', (kind) => {
  let gw: TestGateway;
  const projects: { id: string; key: string; destination: string }[] = [];

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const project = await gw.createProject(name);
      const res = await gw.call('POST', '/v1/destinations', {
        key: project.key,
        body: { name: `${name} hook`, kind: 'webhook', webhook_url: `${ORIGIN}/services/T0/B0${name.toUpperCase()}/secret${name}`, subscriptions: ['deployment.*'] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      projects.push({ ...project, destination: res.body.id });
    }
  });
  afterAll(async () => gw?.close());

  const deploy = (project: string, n: number, key?: string): EventInput => ({ type: 'deployment.started', data: { service: project, version: `v${n}`, environment: 'production' }, ...(key ? { key } : {}) });

  it('writes concurrent requests of different projects together, and answers each with its own events', async () => {
    const { watched, seen } = watchedDatabase(gw.ctx.db, 20);
    const batcher = new IngestBatcher(watched, gw.ctx.catalog, { maxHoldMs: 10_000 });
    const calls = projects.flatMap((p) => [1, 2, 3, 4].map((n) => ({ project: p, n, answer: batcher.accept(p.id, [deploy(p.id, n)]) })));
    for (const call of calls) {
      const [result] = await call.answer;
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.event.data).toEqual({ service: call.project.id, version: `v${call.n}`, environment: 'production' });
      expect(result.event.deliveries.map((d) => d.destination_id)).toEqual([call.project.destination]);
    }
    // Twelve requests: the first is written at once, the other eleven gather behind it.
    expect(seen.writes).toBe(2);
    expect(seen.maxInFlight).toBe(1);
    const { rows } = await gw.ctx.db.query<{ project_id: string; n: number }>(
      `SELECT e.project_id, count(*)::int AS n FROM events e JOIN deliveries d ON d.event_id = e.id
       WHERE e.data->>'version' IN ('v1','v2','v3','v4') AND d.destination_id IN (SELECT id FROM destinations WHERE project_id = e.project_id)
       GROUP BY e.project_id ORDER BY e.project_id`,
    );
    expect(rows).toEqual(projects.map((p) => ({ project_id: p.id, n: 4 })).sort((a, b) => a.project_id.localeCompare(b.project_id)));
  });

  it('keeps idempotency keys per project inside one write', async () => {
    const batcher = new IngestBatcher(gw.ctx.db, gw.ctx.catalog);
    const [a1, b1, a2] = await Promise.all([
      batcher.accept(projects[0].id, [deploy('a', 10, 'same-key')]),
      batcher.accept(projects[1].id, [deploy('b', 10, 'same-key')]),
      batcher.accept(projects[0].id, [deploy('a', 11, 'same-key')]),
    ]);
    if (!a1[0].ok || !b1[0].ok || !a2[0].ok) throw new Error('expected all accepted');
    expect(a1[0].replayed).toBe(false);
    expect(b1[0].replayed).toBe(false); // another project's key is another key
    expect(b1[0].event.id).not.toBe(a1[0].event.id);
    expect(a2[0]).toMatchObject({ replayed: true, event: { id: a1[0].event.id } });
  });

  it('starts a large batch beside a write in flight instead of queueing it', async () => {
    const { watched, seen } = watchedDatabase(gw.ctx.db, 50);
    const batcher = new IngestBatcher(watched, gw.ctx.catalog);
    const small = batcher.accept(projects[0].id, [deploy('a', 20)]);
    const large = batcher.accept(projects[1].id, Array.from({ length: OVERLAP_MIN_EVENTS }, (_, i) => deploy('b', 100 + i)));
    const [smallResults, largeResults] = await Promise.all([small, large]);
    expect(smallResults.every((r) => r.ok)).toBe(true);
    expect(largeResults.filter((r) => r.ok)).toHaveLength(OVERLAP_MIN_EVENTS);
    expect(seen).toMatchObject({ writes: 2, maxInFlight: 2 });
  });

  it('does not hold small writes for long behind a write that is stuck (on a lock, say)', async () => {
    // The first write waits until released; anything written meanwhile went beside it.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let writes = 0;
    const stuck: Queryable = {
      exec: (sql) => gw.ctx.db.exec(sql),
      async query(sql, params, options) {
        if (sql.includes('INSERT INTO events') && writes++ === 0) await gate;
        return gw.ctx.db.query(sql, params, options);
      },
    };
    const batcher = new IngestBatcher(stuck, gw.ctx.catalog, { maxHoldMs: 20 });
    let slowDone = false;
    const slow = batcher.accept(projects[0].id, [deploy('a', 50)]).then((r) => ((slowDone = true), r));
    const [quick] = await batcher.accept(projects[1].id, [deploy('b', 51)]);
    expect(quick.ok).toBe(true);
    expect(slowDone).toBe(false);
    release();
    expect((await slow)[0].ok).toBe(true);
  });

  /** The gateway's database, refusing (with `code`) any ingest write that carries a "doomed" event. */
  function refusingDatabase(code: string) {
    const { watched, seen } = watchedDatabase(gw.ctx.db, 20);
    const refusing: Queryable = {
      exec: watched.exec,
      query(sql, params, options) {
        if (sql.includes('INSERT INTO events') && JSON.stringify(params).includes('doomed')) {
          seen.writes++;
          return Promise.reject(Object.assign(new Error('refused'), { code, severity: code.startsWith('08') ? undefined : 'ERROR' }));
        }
        return watched.query(sql, params, options);
      },
    };
    return { refusing, seen };
  }

  it('writes the others when the database refuses one request of a group', async () => {
    const { refusing } = refusingDatabase('23514'); // check_violation: the statement was rolled back
    const batcher = new IngestBatcher(refusing, gw.ctx.catalog, { maxHoldMs: 10_000 });
    const first = batcher.accept(projects[2].id, [deploy('c', 30)]); // in flight; the next three gather
    const grouped = [
      batcher.accept(projects[0].id, [deploy('a', 31)]),
      batcher.accept(projects[1].id, [deploy('doomed', 32)]),
      batcher.accept(projects[1].id, [deploy('b', 33)]),
    ];
    const settled = await Promise.allSettled([first, ...grouped]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const written = await gw.ctx.db.query<{ v: string }>(`SELECT data->>'version' AS v FROM events WHERE data->>'version' IN ('v30','v31','v32','v33') ORDER BY 1`);
    expect(written.rows.map((r) => r.v)).toEqual(['v30', 'v31', 'v33']);
  });

  it('does not write a group again when a read after its commit fails', async () => {
    const first = await new IngestBatcher(gw.ctx.db, gw.ctx.catalog).accept(projects[0].id, [deploy('a', 60, 'release-60')]);
    expect(first[0].ok).toBe(true);
    // The write commits; looking up the earlier event of a replayed key then fails.
    const { watched } = watchedDatabase(gw.ctx.db, 20);
    const failingRead: Queryable = {
      exec: watched.exec,
      query(sql, params, options) {
        if (sql.startsWith('SELECT id, idempotency_key FROM events')) return Promise.reject(Object.assign(new Error('too many connections'), { code: '53300', severity: 'FATAL' }));
        return watched.query(sql, params, options);
      },
    };
    const batcher = new IngestBatcher(failingRead, gw.ctx.catalog, { maxHoldMs: 10_000 });
    const lead = batcher.accept(projects[2].id, [deploy('c', 61)]);
    const grouped = [batcher.accept(projects[0].id, [deploy('a', 62)]), batcher.accept(projects[0].id, [deploy('a', 60, 'release-60')])];
    const settled = await Promise.allSettled([lead, ...grouped]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    const written = await gw.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE data->>'version' = 'v62'`);
    expect(written.rows[0].n).toBe(1); // written once, not again request by request
  });

  it('does not write a group again when the connection was lost (it may have committed)', async () => {
    const { refusing, seen } = refusingDatabase('08006'); // connection_failure
    const batcher = new IngestBatcher(refusing, gw.ctx.catalog, { maxHoldMs: 10_000 });
    const first = batcher.accept(projects[2].id, [deploy('c', 40)]);
    const grouped = [batcher.accept(projects[0].id, [deploy('a', 41)]), batcher.accept(projects[1].id, [deploy('doomed', 42)])];
    const settled = await Promise.allSettled([first, ...grouped]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(seen.writes).toBe(2);
  });
});
