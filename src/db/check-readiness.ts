/**
 * What /readyz asks of the database: that it takes a write where ingest writes. A database that
 * accepts connections but is read-only (a standby, a full disk), or whose events table is locked by
 * a migration or an admin's transaction, is not ready, though `SELECT 1` would say it is.
 * Bounded in time: a database that stops answering makes the check fail, never hang.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from './database.ts';

const PROCESS = `${process.pid}-${randomUUID().slice(0, 8)}`;

export interface Readiness {
  ready: boolean;
  /** Why not, in words an operator can act on. */
  reason?: string;
}

export async function checkReadiness(db: Database, timeoutMs = 3_000): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: `the database did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const probe = db
    .transaction(async (tx) => {
      if (db.kind === 'postgres') {
        await tx.query(`SET LOCAL lock_timeout = ${Math.floor(timeoutMs / 3)}`);
        await tx.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
      }
      await tx.query('LOCK TABLE events, deliveries IN ROW EXCLUSIVE MODE');
      await tx.query(
        `INSERT INTO readiness_probes (process, checked_at) VALUES ($1, now())
         ON CONFLICT (process) DO UPDATE SET checked_at = excluded.checked_at`,
        [PROCESS],
      );
      return { ready: true } as Readiness;
    })
    .catch((error: { code?: string; message?: string }) => ({ ready: false, reason: describe(error) }));
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: { code?: string; message?: string }): string {
  if (error.code === '25006') return 'the database is read-only (a standby, or default_transaction_read_only)';
  if (error.code === '55P03') return 'the events table is locked (a migration or a long transaction holds it)';
  if (error.code === '57014') return 'the database did not finish the check in time';
  if (error.code === '53100') return 'the database is out of disk space';
  return 'the database is unavailable';
}
