/**
 * bench/ingest: events accepted per second through POST /v1/events (single and batch of 500), on
 * PGlite and on PostgreSQL, each beside a baseline measured in the same run: the same server
 * answering a no-op route (GET /healthz). The gateway runs in a child process; autocannon drives it.
 *
 *   npx tsx bench/ingest/run.ts [--seconds 8]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createBenchDatabase, postgresAvailable } from '../support/postgres-bench-database.ts';
import { spawnGateway } from '../support/spawn-gateway.ts';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 8;

function event(i: number) {
  return {
    type: 'approval.created',
    subject: `approval:bench-${i}`,
    data: { project: 'Bench', key: `deploy-${i}`, requester: 'Alice', action: 'Deploy api v1.4.2 to production', expiry: 'in 30 minutes' },
  };
}

async function load(options: autocannon.Options): Promise<{ rps: number; non2xx: number; errors: number }> {
  const result = await autocannon({ duration: seconds, ...options });
  return { rps: result.requests.average, non2xx: result.non2xx, errors: result.errors };
}

async function measure(engine: string, env: Record<string, string>) {
  const gw = await spawnGateway(env);
  const auth = { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' };
  try {
    await load({ url: `${gw.url}/healthz`, connections: 10, duration: 2 }); // warm-up
    const baseline = await load({ url: `${gw.url}/healthz`, connections: 20 });
    const single = await load({ url: `${gw.url}/v1/events`, method: 'POST', headers: auth, body: JSON.stringify(event(1)), connections: 20 });
    const batchBody = JSON.stringify({ events: Array.from({ length: 500 }, (_, i) => event(i)) });
    const batch = await load({ url: `${gw.url}/v1/events/batch`, method: 'POST', headers: auth, body: batchBody, connections: 4 });
    return {
      engine,
      baseline_rps: Math.round(baseline.rps),
      single_events_per_s: Math.round(single.rps),
      single_vs_baseline: +(single.rps / baseline.rps).toFixed(3),
      batch_events_per_s: Math.round(batch.rps * 500),
      failures: baseline.non2xx + single.non2xx + batch.non2xx + baseline.errors + single.errors + batch.errors,
    };
  } finally {
    await gw.stop();
  }
}

const results = [];
const dir = await mkdtemp(path.join(tmpdir(), 'sb-bench-'));
results.push(await measure('pglite', { SWITCHBOARD_DATA_DIR: dir }));
await rm(dir, { recursive: true, force: true });
if (await postgresAvailable()) {
  const db = await createBenchDatabase();
  try {
    results.push(await measure('postgres', { DATABASE_URL: db.url }));
  } finally {
    await db.drop();
  }
} else {
  process.stderr.write('PostgreSQL not reachable (BENCH_POSTGRES_URL): measured PGlite only\n');
}
console.table(results);
process.stdout.write(`${JSON.stringify({ bench: 'ingest', seconds, at: new Date().toISOString(), results })}\n`);
