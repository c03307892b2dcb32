/**
 * H2: a database failure during authentication is a 503 the client can retry, never a failure cached
 * for the life of the process. The database is made to fail for the first reads (as at a start-up
 * right after a PostgreSQL restart), then to work again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

/** Makes every query of `db` fail like a refused connection while `down` is true. */
function breakable(db: Database) {
  const state = { down: false };
  const query = db.query.bind(db);
  db.query = (async (...args: Parameters<Database['query']>) => {
    if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    return query(...args);
  }) as Database['query'];
  return state;
}

describe.each(databaseKinds)('authentication while the database fails, on %s', (kind) => {
  let gw: TestGateway;
  let project: { id: string; key: string };

  beforeAll(async () => {
    gw = await createTestGateway(kind);
    project = await gw.createProject('Auth');
  });
  afterAll(async () => gw?.close());

  it('answers 503 database_unavailable with Retry-After, then works again without a restart', async () => {
    // A fresh app on the same context: its admin key hash has not been read yet, like a process that just started.
    const { createHttpApp } = await import('../../src/http/create-http-app.ts');
    const app = createHttpApp(gw.ctx);
    const state = breakable(gw.ctx.db);
    gw.ctx.apiKeys.clear();
    const get = (key: string) => app.request('/v1/projects', { headers: { authorization: `Bearer ${key}` } });
    const getTypes = (key: string) => app.request('/v1/event-types', { headers: { authorization: `Bearer ${key}` } });

    state.down = true;
    for (const res of [await get(gw.adminKey), await getTypes(project.key)]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = await res.json();
      expect(body.error.code).toBe('database_unavailable');
      expect(body.error.message).toMatch(/retry/i);
    }

    state.down = false;
    expect((await get(gw.adminKey)).status).toBe(200);
    expect((await getTypes(project.key)).status).toBe(200);
  });
});
