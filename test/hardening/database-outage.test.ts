/**
 * M3: with the database down, stuck behind a lock, or not answering at all, requests end with
 * 503 database_unavailable and Retry-After (never a 500, never a hang), /readyz says why, and
 * everything works again by itself when the database is back.
 */
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app-context.ts';
import type { Database } from '../../src/db/database.ts';
import { openPostgresDatabase } from '../../src/db/postgres-database.ts';
import { createHttpApp } from '../../src/http/create-http-app.ts';
import { IngestBatcher } from '../../src/ingest/ingest-batcher.ts';
import { ProjectCatalog } from '../../src/ingest/project-catalog.ts';
import { ApiKeyCache } from '../../src/projects/api-key-cache.ts';
import { databaseKinds, postgresTestUrl } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

/** A TCP proxy to PostgreSQL that can stop forwarding (a network partition: the server never answers). */
async function freezableProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => !frozen && upstream.write(chunk));
    upstream.on('data', (chunk) => !frozen && client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    freeze: (value: boolean) => (frozen = value),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.runIf(databaseKinds.includes('postgres'))('the database down, stuck or silent, on postgres', () => {
  let gw: TestGateway;
  let project: { id: string; key: string };
  const opened: Database[] = [];

  beforeAll(async () => {
    gw = await createTestGateway('postgres');
    project = await gw.createProject('Outage');
  });
  afterAll(async () => {
    for (const db of opened) await db.close().catch(() => {});
    await gw?.close();
  });

  /** The gateway's API on its own connection pool, with short timeouts so the test runs quickly. */
  async function appOn(connectionString: string, timeouts: { statementTimeoutMs?: number; lockTimeoutMs?: number; connectTimeoutMs?: number }) {
    const db = await openPostgresDatabase({ connectionString, ...timeouts });
    opened.push(db);
    const catalog = new ProjectCatalog(db);
    const ctx: AppContext = { ...gw.ctx, db, catalog, apiKeys: new ApiKeyCache(db), ingest: new IngestBatcher(db, catalog) };
    const app = createHttpApp(ctx);
    const send = (key?: string) =>
      app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${project.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'alert.triggered', key, data: { service: 'api', title: 'Outage' } }),
      });
    return { db, app, send };
  }

  async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: postgresTestUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  async function expect503(res: Response) {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await res.json()).error.code).toBe('database_unavailable');
  }

  it('a table held by a lock: ingest answers 503 after the lock timeout, /readyz says the table is locked', async () => {
    const { app, send } = await appOn(gw.database.url!, { lockTimeoutMs: 300 });
    expect((await send()).status).toBe(202);
    const holder = new pg.Client({ connectionString: gw.database.url! });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
      await expect503(await send('locked-1'));
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(503);
      expect((await ready.json()).reason).toMatch(/locked/);
      // Other routes keep working meanwhile.
      const types = await app.request('/v1/event-types', { headers: { authorization: `Bearer ${project.key}` } });
      expect(types.status).toBe(200);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect((await send('locked-1')).status).toBe(202); // the retry is written once the lock is gone
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('a database refusing connections: 503 database_unavailable with Retry-After, then recovery without a restart', async () => {
    const { app, send } = await appOn(gw.database.url!, { connectTimeoutMs: 1000 });
    expect((await send()).status).toBe(202);
    const name = new URL(gw.database.url!).pathname.slice(1);
    await admin(async (c) => {
      await c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    });
    try {
      await expect503(await send('down-1'));
      expect((await app.request('/readyz')).status).toBe(503);
    } finally {
      await admin((c) => c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`));
    }
    expect((await send('down-1')).status).toBe(202);
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('a connection that drops inside a transaction fails that transaction and nothing else', async () => {
    const { db } = await appOn(gw.database.url!, {});
    const outcome = db.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin((c) => c.query('SELECT pg_terminate_backend($1)', [rows[0].pid]));
      await new Promise((r) => setTimeout(r, 50)); // between statements, as a restart would find it
      await tx.query('SELECT 1');
    });
    await expect(outcome).rejects.toThrow();
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1); // the pool goes on
  });

  it('a database that stops answering (a partition): requests end with 503 instead of hanging', async () => {
    const url = new URL(gw.database.url!);
    const proxy = await freezableProxy(new URL(postgresTestUrl));
    try {
      const through = new URL(url);
      through.port = String(proxy.port);
      const { app, send } = await appOn(through.toString(), { statementTimeoutMs: 300, connectTimeoutMs: 1000 });
      expect((await send()).status).toBe(202);
      proxy.freeze(true);
      await expect503(await send('silent-1'));
      expect((await app.request('/readyz')).status).toBe(503);
    } finally {
      proxy.freeze(false);
      await proxy.close();
    }
  });
});

describe.each(databaseKinds)('readiness, on %s', (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway(kind);
  });
  afterAll(async () => gw?.close());

  it('is ready when the database takes a write', async () => {
    const res = await gw.app.request('/readyz');
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('ready');
  });
});
