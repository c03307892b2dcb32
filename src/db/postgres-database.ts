/**
 * PostgreSQL adapter over a node-postgres pool. LISTEN needs a connection of its own that stays
 * open, so listeners share one dedicated client, reconnecting if it drops.
 */
import pg from 'pg';
import { isDatabaseUnavailable } from './database-errors.ts';
import type { Database, ListenOptions, Queryable, QueryOptions, QueryResult } from './database.ts';

interface Subscriber {
  onNotify(payload: string): void;
  onResync?: ListenOptions['onResync'];
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// BIGINT (int8) and NUMERIC come back as strings by default; our counters fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

const SCRIPT_TIMEOUT_MS = 24 * 3600_000;

function wrap(conn: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<T>> {
      const values = params as unknown[] | undefined;
      const result = options?.prepare ? await conn.query({ name: options.prepare, text: sql, values }) : await conn.query(sql, values);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      // No parameters → simple query protocol, several statements allowed. Scripts are migrations:
      // no client-side time limit (the server's is lifted by migrate()).
      await conn.query({ text: sql, query_timeout: SCRIPT_TIMEOUT_MS } as pg.QueryConfig);
    },
  };
}

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
  /** Time to open a connection before the request fails (503) instead of waiting without limit. */
  connectTimeoutMs?: number;
  /** Longest statement: the server cancels it (statement_timeout) and the client stops waiting a little later (query_timeout, for a server that stopped answering). */
  statementTimeoutMs?: number;
  /** Longest wait for a row or table lock (lock_timeout): a write stuck behind a migration or an admin's transaction fails fast. */
  lockTimeoutMs?: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS = { connectTimeoutMs: 5_000, statementTimeoutMs: 10_000, lockTimeoutMs: 3_000 } as const;
// The client gives the server this long past statement_timeout to cancel the statement itself.
const CLIENT_GRACE_MS = 2_000;

export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...definedOnly(options) };
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    statement_timeout: timeouts.statementTimeoutMs,
    lock_timeout: timeouts.lockTimeoutMs,
    query_timeout: timeouts.statementTimeoutMs + CLIENT_GRACE_MS,
    keepAlive: true,
  });
  const connectionErrorListeners = new Set<() => void>();
  const connectionFailed = () => connectionErrorListeners.forEach((listener) => listener());
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', connectionFailed);
  await pool.query('SELECT 1');

  const handlers = new Map<string, Set<Subscriber>>();
  let listener: pg.Client | undefined;
  let closed = false;
  let reconnecting = false;

  // One listening connection: concurrent callers (a listen() during a reconnect) share the one being opened.
  let connecting: Promise<pg.Client> | undefined;
  function listenerClient(): Promise<pg.Client> {
    if (listener) return Promise.resolve(listener);
    connecting ??= openListener().finally(() => (connecting = undefined));
    return connecting;
  }

  async function openListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: options.connectionString, connectionTimeoutMillis: timeouts.connectTimeoutMs, keepAlive: true });
    client.on('notification', (msg) => {
      for (const subscriber of handlers.get(msg.channel) ?? []) subscriber.onNotify(msg.payload ?? '');
    });
    const lost = () => {
      if (listener !== client) return; // already replaced
      connectionFailed();
      listener = undefined;
      scheduleResubscribe(500);
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    listener = client;
    return client;
  }

  function scheduleResubscribe(delayMs: number): void {
    if (closed || reconnecting) return;
    reconnecting = true;
    setTimeout(() => void resubscribe(), delayMs).unref();
  }

  // Notifications sent while the listener was away are lost for good: once it listens again, every
  // subscriber is told to resync (caches forget what they hold, workers look for due work).
  async function resubscribe(): Promise<void> {
    try {
      const client = await listenerClient();
      for (const channel of handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      reconnecting = false;
      for (const set of handlers.values()) for (const subscriber of set) subscriber.onResync?.();
    } catch {
      reconnecting = false;
      await listener?.end().catch(() => {});
      listener = undefined;
      scheduleResubscribe(1000);
    }
  }

  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      // A checked-out client has no pool listener: a connection that drops between statements (a
      // server restart) would emit an unhandled 'error' and end the process. The failure reaches the
      // transaction through its next statement; the broken client is destroyed, not pooled again.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
        connectionFailed();
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that failed or timed out may never answer a ROLLBACK: destroy it instead
        // (the server rolls back a transaction whose connection is gone).
        if (!broken && isDatabaseUnavailable(error)) broken = error as Error;
        if (!broken) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(broken ?? undefined);
      }
    },
    async listen(channel, onNotify, listenOptions) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await (await listenerClient()).query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      const subscriber: Subscriber = { onNotify, onResync: listenOptions?.onResync };
      set.add(subscriber);
      return async () => {
        set!.delete(subscriber);
      };
    },
    onConnectionError(listener) {
      connectionErrorListeners.add(listener);
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}
