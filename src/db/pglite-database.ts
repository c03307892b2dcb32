/**
 * PGlite adapter: PostgreSQL compiled to WebAssembly, running in this process and persisted to a
 * folder (or kept in memory). One connection; PGlite serialises queries and transactions itself.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.ts';

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

function wrap(conn: PgliteLike): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const result = await conn.query<T>(sql, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await conn.exec(sql);
    },
  };
}

export async function openPgliteDatabase(dataDir?: string): Promise<Database> {
  // undefined → in memory (tests); a path → persisted folder (the embedded default).
  const pg = await PGlite.create(dataDir ?? 'memory://');
  const base = wrap(pg);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async listen(channel, onNotify) {
      const unsubscribe = await pg.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    close: () => pg.close(),
  };
}
