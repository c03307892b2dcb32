/**
 * Probes of a long outage space out: every OUTAGE_PROBE_SECONDS at first, a sixth of the outage's
 * age once it has lasted a minute, never more than OUTAGE_PROBE_MAX_SECONDS apart, so a day-long
 * outage costs hundreds of calls to Slack and audit rows, not thousands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteOutageFailure, OUTAGE_PROBE_MAX_SECONDS, OUTAGE_PROBE_SECONDS } from '../../src/delivery/outages.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';

describe.each(databaseKinds)('probe spacing on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.drop());

  async function probeInSeconds(key: string, ageSeconds: number): Promise<number> {
    await t.db.query(`UPDATE outages SET started_at = now() - $2 * interval '1 second' WHERE key = $1`, [key, ageSeconds]);
    await noteOutageFailure(t.db, key, 'http_503', OUTAGE_PROBE_SECONDS * 1000);
    const { rows } = await t.db.query<{ s: number }>(`SELECT extract(epoch FROM probe_at - now())::float8 AS s FROM outages WHERE key = $1`, [key]);
    return Math.round(Number(rows[0].s));
  }

  it('probes every few seconds at first, then a sixth of the outage, at most the maximum', async () => {
    await noteOutageFailure(t.db, 'team:T0SPACE', 'http_503', OUTAGE_PROBE_SECONDS * 1000);
    expect(await probeInSeconds('team:T0SPACE', 5)).toBe(OUTAGE_PROBE_SECONDS);
    expect(await probeInSeconds('team:T0SPACE', 120)).toBe(20);
    expect(await probeInSeconds('team:T0SPACE', 600)).toBe(100);
    expect(await probeInSeconds('team:T0SPACE', 86_400)).toBe(OUTAGE_PROBE_MAX_SECONDS);
  });
});
