/**
 * M4 for rows written before webhook URLs with credentials were refused: the migration masks the
 * password kept in the hint and the URL quoted in errors and attempt records.
 */
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/db/migrate.ts';
import { createTestDatabase, databaseKinds } from '../helpers/databases.ts';

describe.each(databaseKinds)('masking credentials kept by older versions, on %s', (kind) => {
  it('leaves no password or secret path in hints, errors and responses', async () => {
    const { db, drop } = await createTestDatabase(kind);
    try {
      const url = 'http://usr:pa55word@127.0.0.1:3100/services/T0EMULATE/B00000002/EmulatorAlertsWebhook000';
      await db.query(`INSERT INTO projects (id, name) VALUES ('prj_old', 'old')`);
      const { rows: cols } = await db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'destinations'`);
      expect(cols.map((c) => c.column_name)).toContain('webhook_url_hint');
      await db.query(
        `INSERT INTO destinations (id, project_id, name, kind, webhook_url_hint, subscriptions) VALUES ('dst_old', 'prj_old', 'old', 'webhook', $1, '{*}')`,
        ['http://usr:pa55word@127.0.0.1:3100/services/T…/B…/…k000'],
      );
      const error = `network error: Request cannot be constructed from a URL that includes credentials: ${url}`;
      await db.query(
        `INSERT INTO delivery_attempts (id, project_id, destination_id, attempt, started_at, latency_ms, request, response, outcome, error)
         VALUES ('att_old', 'prj_old', 'dst_old', 1, now(), 1, $3, $1, 'retry', $2)`,
        [JSON.stringify({ error }), error, JSON.stringify({ url: 'http://usr:pa55word@127.0.0.1:3100/services/T…/B…/…k000', body: { text: 'x' } })],
      );
      const migration = (await loadMigrations()).find((m) => m.name === '007_scrub_webhook_credentials')!;
      await db.exec(migration.sql);
      const dump = JSON.stringify([
        (await db.query('SELECT webhook_url_hint FROM destinations')).rows,
        (await db.query('SELECT error, response, request FROM delivery_attempts')).rows,
      ]);
      expect(dump).not.toContain('pa55word');
      expect(dump).not.toContain('EmulatorAlertsWebhook000');
      expect(dump).toContain('127.0.0.1:3100');
    } finally {
      await drop();
    }
  });
});
