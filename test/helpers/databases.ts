/**
 * Test database factory. Every database suite runs once per engine:
 * - PGlite, in memory, always;
 * - PostgreSQL when SWITCHBOARD_TEST_POSTGRES_URL (or DATABASE_URL) points at a server. Each call
 *   creates a fresh database on that server and drops it afterwards, so suites are isolated by
 *   database, never by ordering. CI sets the variable, so CI runs both.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database, DatabaseKind } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPgliteDatabase } from '../../src/db/pglite-database.ts';
import { openPostgresDatabase } from '../../src/db/postgres-database.ts';

export const postgresTestUrl = process.env.SWITCHBOARD_TEST_POSTGRES_URL || process.env.DATABASE_URL || '';

/** The engines this run tests against. */
export const databaseKinds: DatabaseKind[] = postgresTestUrl ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  db: Database;
  /** Connection URL of the PostgreSQL database (undefined for PGlite), for spawned processes. */
  url?: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated, isolated database of the given kind. Call drop() when done. */
export async function createTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let result: TestDatabase;
  if (kind === 'pglite') {
    const db = await openPgliteDatabase();
    result = { db, drop: () => db.close() };
  } else {
    if (!postgresTestUrl) throw new Error('SWITCHBOARD_TEST_POSTGRES_URL is not set');
    const name = `sb_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresTestUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = withDatabase(postgresTestUrl, name);
    const db = await openPostgresDatabase({ connectionString: url });
    result = {
      db,
      url,
      async drop() {
        await db.close();
        const a = new pg.Client({ connectionString: postgresTestUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  if (options.migrate !== false) await migrate(result.db);
  return result;
}
