import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/helpers/databases.ts';
import { migrate } from './migrate.ts';

describe.each(databaseKinds)('database seam on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.drop());

  it('applies migrations once and records them', async () => {
    const again = await migrate(t.db);
    expect(again).toEqual([]);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('rolls a failed transaction back', async () => {
    await t.db.exec('CREATE TABLE seam_probe (v int)');
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO seam_probe VALUES ($1)', [1]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await t.db.query('SELECT * FROM seam_probe');
    expect(rows).toEqual([]);
  });

  it('delivers NOTIFY to listeners', async () => {
    const got: string[] = [];
    const unlisten = await t.db.listen('seam_probe', (p) => got.push(p));
    await t.db.query("SELECT pg_notify('seam_probe', 'hello')");
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['hello']);
    await unlisten();
  });
});
