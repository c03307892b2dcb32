import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/helpers/databases.ts';
import { purgeOldRecords } from './purge-old-records.ts';

describe.each(databaseKinds)('retention on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    const db = t.db;
    await db.query(`INSERT INTO projects (id, name) VALUES ('prj_1', 'P')`);
    await db.query(`INSERT INTO destinations (id, project_id, name, kind) VALUES ('dst_1', 'prj_1', 'D', 'webhook')`);
    // Events accepted 40 days ago and today; deliveries finished long ago, finished today, and one still waiting.
    await db.query(`INSERT INTO events (id, project_id, type, severity, data, occurred_at, accepted_at, message) VALUES
      ('evt_old', 'prj_1', 't.x', 'info', '{}', now() - interval '40 days', now() - interval '40 days', '{"text":"a"}'),
      ('evt_waiting', 'prj_1', 't.x', 'info', '{}', now() - interval '40 days', now() - interval '40 days', '{"text":"b"}'),
      ('evt_new', 'prj_1', 't.x', 'info', '{}', now(), now(), '{"text":"c"}')`);
    await db.query(`INSERT INTO deliveries (id, project_id, event_id, destination_id, status, updated_at) VALUES
      ('dlv_old', 'prj_1', 'evt_old', 'dst_1', 'sent', now() - interval '40 days'),
      ('dlv_waiting', 'prj_1', 'evt_waiting', 'dst_1', 'pending', now() - interval '40 days'),
      ('dlv_new', 'prj_1', 'evt_new', 'dst_1', 'dead', now())`);
    await db.query(`INSERT INTO delivery_attempts (id, project_id, delivery_id, destination_id, attempt, started_at, latency_ms, request, outcome) VALUES
      ('att_old', 'prj_1', 'dlv_waiting', 'dst_1', 1, now() - interval '40 days', 5, '{}', 'retry'),
      ('att_new', 'prj_1', 'dlv_new', 'dst_1', 1, now(), 5, '{}', 'retry')`);
  });
  afterAll(async () => t?.drop());

  it('deletes attempts and finished deliveries older than the retention period, and events left with no delivery; keeps waiting ones', async () => {
    const removed = await purgeOldRecords(t.db, 30);
    const ids = async (table: string) => (await t.db.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`)).rows.map((r) => r.id);
    expect(await ids('delivery_attempts')).toEqual(['att_new']);
    expect(await ids('deliveries')).toEqual(['dlv_new', 'dlv_waiting']);
    expect(await ids('events')).toEqual(['evt_new', 'evt_waiting']);
    expect(removed).toBe(3);
  });
});
