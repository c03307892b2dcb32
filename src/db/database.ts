/**
 * The database seam. Everything above it speaks one SQL dialect (PostgreSQL's) through these few
 * methods; two adapters implement it: PGlite (embedded, in-process) and PostgreSQL (node-postgres).
 * Queues coordinate only through the database: row claims with FOR UPDATE SKIP LOCKED and
 * LISTEN/NOTIFY wake-ups, which PGlite also supports within its single process.
 */
export interface QueryResult<T> {
  rows: T[];
  /** Rows changed by INSERT/UPDATE/DELETE, or returned by SELECT. */
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Keep this statement parsed and planned on each PostgreSQL connection under this name, so
   * repeated runs skip both (for the hot paths: ingest, claims, outcomes, where parsing and planning
   * were about a third of their cost in PostgreSQL). One name, one SQL text, always. PGlite ignores it.
   */
  prepare?: string;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<T>>;
  /** Runs a script of several statements (migrations). No parameters. */
  exec(sql: string): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs fn in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls onNotify for every NOTIFY on channel; resolves to an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
