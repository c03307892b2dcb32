/**
 * The "new work" signal (src/delivery/delivery-signal.ts): a process's own workers are woken once
 * per ready() (directly, not again by the echo of its own NOTIFY), every other process on the same
 * PostgreSQL database is woken by the NOTIFY, and a change made by SQL triggers wakes everyone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openPostgresDatabase } from '../../src/db/postgres-database.ts';
import { DeliverySignal } from '../../src/delivery/delivery-signal.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { eventually } from './delivery-stack.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe.each(databaseKinds)('the delivery signal on %s', (kind) => {
  let database: TestDatabase | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await database?.drop();
  });

  async function signalOn(db: Database): Promise<{ signal: DeliverySignal; wakes: () => number }> {
    const signal = new DeliverySignal(db);
    await signal.start();
    cleanups.push(() => signal.stop());
    let count = 0;
    signal.onReady(() => count++);
    return { signal, wakes: () => count };
  }

  it('wakes this process once per ready(), and every other process on the database', async () => {
    database = await createTestDatabase(kind);
    const here = await signalOn(database.db);
    const other = kind === 'postgres' ? await openPostgresDatabase({ connectionString: database.url! }) : undefined;
    if (other) cleanups.push(() => other.close());
    const there = other ? await signalOn(other) : undefined;

    here.signal.ready();
    expect(here.wakes()).toBe(1); // at once, in this process
    if (there) await eventually(() => expect(there.wakes()).toBe(1));
    await settle(); // the NOTIFY's echo has come back by now, and woke nobody here again
    expect(here.wakes()).toBe(1);
    if (there) expect(there.wakes()).toBe(1);
  });

  it('wakes every process when a trigger announces work (a requeue, a destination fixed)', async () => {
    database = await createTestDatabase(kind);
    const here = await signalOn(database.db);
    await database.db.query(`SELECT pg_notify('deliveries_ready', '')`);
    await eventually(() => expect(here.wakes()).toBe(1));
  });
});
