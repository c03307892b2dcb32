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

export interface ListenOptions {
  /** Called after the listening connection came back (notifications may have been missed meanwhile). */
  onResync?: () => void;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs fn in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls onNotify for every NOTIFY on channel; resolves to an unsubscribe function. NOTIFY is not
   * durable: while the listening connection is down notifications are lost, so `onResync` is called
   * each time it listens again, and a subscriber must then forget or re-read what it relied on.
   */
  listen(channel: string, onNotify: (payload: string) => void, options?: ListenOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PostgreSQL only: calls listener when a pooled or LISTEN connection fails (counted by src/metrics/). */
  onConnectionError?(listener: () => void): void;
}
