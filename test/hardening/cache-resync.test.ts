/**
 * H3: caches that other processes keep current through NOTIFY must not trust it alone. A revoked
 * key is refused everywhere within the cache lifetime whatever happened to the notification, and
 * at once when the listening connection comes back after a cut (every cache resyncs). The same for
 * the routing catalog: a destination deleted elsewhere is not routed to once the catalog resynced.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openPostgresDatabase } from '../../src/db/postgres-database.ts';
import { IngestBatcher } from '../../src/ingest/ingest-batcher.ts';
import { ProjectCatalog, CATALOG_LIFETIME_MS } from '../../src/ingest/project-catalog.ts';
import { API_KEY_CACHE_LIFETIME_MS, ApiKeyCache } from '../../src/projects/api-key-cache.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

describe.each(databaseKinds)('cache lifetimes, on %s', (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway(kind);
  });
  afterAll(async () => gw?.close());

  it('re-reads a key after its lifetime even when no notification came', async () => {
    const project = await gw.createProject('Lifetime');
    const cache = new ApiKeyCache(gw.ctx.db); // not started: it hears no notification at all
    const t0 = Date.now();
    const owner = await cache.lookup(project.key, t0);
    expect(owner?.projectId).toBe(project.id);
    await gw.ctx.db.query('UPDATE api_keys SET revoked_at = now() WHERE project_id = $1', [project.id]);
    expect(await cache.lookup(project.key, t0 + 1_000)).toBeDefined(); // still trusted inside its lifetime
    expect(await cache.lookup(project.key, t0 + API_KEY_CACHE_LIFETIME_MS)).toBeUndefined();
  });

  it('remembers an unknown key briefly instead of querying for it on every request', async () => {
    const cache = new ApiKeyCache(gw.ctx.db);
    let queries = 0;
    const db = new Proxy(gw.ctx.db, {
      get: (target, prop) => (prop === 'query' ? (...args: Parameters<Database['query']>) => (queries++, target.query(...args)) : Reflect.get(target, prop)),
    });
    const counted = new ApiKeyCache(db);
    const made_up = 'sb_live_' + 'x'.repeat(40);
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) expect(await counted.lookup(made_up, t0 + i)).toBeUndefined();
    expect(queries).toBe(1);
    expect(await cache.lookup(made_up, t0)).toBeUndefined();
  });

  it('an event routed by a stale table to a destination deleted meanwhile is routed again, not a 500', async () => {
    const project = await gw.createProject('Stale');
    const dest = await gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'hook', kind: 'webhook', webhook_url: 'https://hooks.slack.com/services/T0ST/B0ST/stalesecret12', subscriptions: ['*'] },
    });
    const catalog = new ProjectCatalog(gw.ctx.db); // hears no notification: stale until its lifetime ends
    const ingest = new IngestBatcher(gw.ctx.db, catalog);
    expect((await catalog.get(project.id)).routes.length).toBe(1);
    expect((await gw.call('DELETE', `/v1/destinations/${dest.body.id}`, { key: project.key })).status).toBeLessThan(300);
    const [result] = await ingest.accept(project.id, [{ type: 'alert.triggered', data: { service: 'api', title: 'Stale' } } as never]);
    expect(result).toMatchObject({ ok: true, event: { deliveries: [] } });
  });

  it('forgets a project routing table after its lifetime', async () => {
    const project = await gw.createProject('Catalog');
    const catalog = new ProjectCatalog(gw.ctx.db);
    const t0 = Date.now();
    const before = await catalog.get(project.id, t0);
    await gw.ctx.db.query(`UPDATE projects SET name = 'Renamed' WHERE id = $1`, [project.id]);
    expect((await catalog.get(project.id, t0 + 1)).name).toBe(before.name);
    expect((await catalog.get(project.id, t0 + CATALOG_LIFETIME_MS)).name).toBe('Renamed');
  });
});

describe.runIf(databaseKinds.includes('postgres'))('a cut listener connection, on postgres', () => {
  let gw: TestGateway;
  let other: Database; // a second process's connection pool on the same database
  let otherKeys: ApiKeyCache;
  let otherCatalog: ProjectCatalog;

  beforeAll(async () => {
    gw = await createTestGateway('postgres');
    other = await openPostgresDatabase({ connectionString: gw.database.url! });
    otherKeys = new ApiKeyCache(other);
    await otherKeys.start();
    otherCatalog = new ProjectCatalog(other);
    await otherCatalog.start(other);
  });
  afterAll(async () => {
    await otherKeys?.stop();
    await otherCatalog?.stop();
    await other?.close();
    await gw?.close();
  });

  async function cutListeners(): Promise<number> {
    const admin = new pg.Client({ connectionString: gw.database.url! });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      return rows[0].n;
    } finally {
      await admin.end();
    }
  }

  /** Polls until `check` holds; the listener reconnects within about a second, so 20 s is only a bound. */
  async function eventually(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('did not happen within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('a key revoked while the other process was not listening is refused there once it listens again', async () => {
    const project = await gw.createProject('Revoked');
    const created = await gw.call('POST', `/v1/projects/${project.id}/api-keys`, { body: { name: 'short-lived' } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const t0 = Date.now();
    expect(await otherKeys.lookup(key, t0)).toBeDefined(); // cached there

    expect(await cutListeners()).toBeGreaterThan(0);
    const revoked = await gw.call('DELETE', `/v1/projects/${project.id}/api-keys/${created.body.api_key.id}`);
    expect(revoked.status).toBeLessThan(300);
    expect((await gw.call('GET', '/v1/event-types', { key })).status).toBe(401); // this process: at once

    // The other process: refused as soon as its listener is back, long before the cache lifetime (same clock reading).
    await eventually(async () => (await otherKeys.lookup(key, t0 + 1)) === undefined);
  });

  it('a destination deleted while the other process was not listening is no longer routed to there', async () => {
    const project = await gw.createProject('Routing');
    const dest = await gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'hook', kind: 'webhook', webhook_url: 'https://hooks.slack.com/services/T0CUT/B0CUT/cutsecret123', subscriptions: ['*'] },
    });
    expect(dest.status).toBe(201);
    const t0 = Date.now();
    expect((await otherCatalog.get(project.id, t0)).routes.length).toBe(1);

    expect(await cutListeners()).toBeGreaterThan(0);
    expect((await gw.call('DELETE', `/v1/destinations/${dest.body.id}`, { key: project.key })).status).toBeLessThan(300);
    await eventually(async () => (await otherCatalog.get(project.id, t0 + 1)).routes.length === 0);
  });
});
