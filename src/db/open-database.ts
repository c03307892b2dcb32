/** Picks the adapter: PostgreSQL when a connection URL is configured, PGlite in a folder otherwise. */
import type { Database } from './database.ts';
import { openPgliteDatabase } from './pglite-database.ts';
import { openPostgresDatabase } from './postgres-database.ts';

export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (options.databaseUrl) return openPostgresDatabase({ connectionString: options.databaseUrl });
  return openPgliteDatabase(options.dataDir);
}
