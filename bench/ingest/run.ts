/**
 * bench/ingest: events accepted per second through POST /v1/events (single and batch of 500), on
 * PGlite and on PostgreSQL, each beside baselines measured in the same run against the same
 * server: a no-op route (GET /healthz), and an event request refused by validation (the HTTP,
 * JSON, API key and validation work of an event, without rendering or the database). The gateway
 * runs in a child process; autocannon drives it. Where /proc exists, the CPU each request cost
 * the gateway and the PostgreSQL server is reported too.
 *
 *   npx tsx bench/ingest/run.ts [--seconds 8]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createBenchDatabase, postgresAvailable } from '../support/postgres-bench-database.ts';
import { postgresCpuSeconds, processCpuSeconds } from '../support/process-cpu.ts';
import { commit, load } from '../support/run-info.ts';
import { spawnGateway } from '../support/spawn-gateway.ts';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 8;

function event(i: number) {
  return {
    type: 'approval.created',
    subject: `approval:bench-${i}`,
    data: { project: 'Bench', key: `deploy-${i}`, requester: 'Alice', action: 'Deploy api v1.4.2 to production', expiry: 'in 30 minutes' },
  };
}

interface Load {
  /** Requests (or, for batches, events) per second. */
  rate: number;
  failures: number;
  /** Microseconds of CPU per request (or event): the gateway process, and PostgreSQL's processes. */
  gatewayUs: number | null;
  postgresUs: number | null;
}

async function drive(gatewayPid: number, options: autocannon.Options & { eventsPerRequest?: number; expect?: number }): Promise<Load> {
  const cpu = () => ({ gateway: processCpuSeconds(gatewayPid), postgres: postgresCpuSeconds() });
  const before = cpu();
  const result = await autocannon({ duration: seconds, ...options });
  const after = cpu();
  const units = result.requests.total * (options.eventsPerRequest ?? 1);
  const perUnit = (a: number | null, b: number | null) => (a === null || b === null || units === 0 ? null : Math.round(((b - a) / units) * 1e6));
  // A refused request is what the validation baseline is made of; anything else must be 2xx.
  const expected = options.expect ?? 200;
  const wrong = expected === 400 ? result.requests.total - (result as unknown as Record<string, number>)['4xx'] : result.non2xx;
  return {
    rate: (result.requests.total * (options.eventsPerRequest ?? 1)) / (result.duration || seconds),
    failures: wrong + result.errors,
    gatewayUs: perUnit(before.gateway, after.gateway),
    postgresUs: perUnit(before.postgres, after.postgres),
  };
}

async function measure(engine: string, env: Record<string, string>) {
  const gw = await spawnGateway(env);
  const pid = gw.child.pid!;
  const auth = { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' };
  try {
    await autocannon({ url: `${gw.url}/healthz`, connections: 10, duration: 2 }); // warm-up
    const noop = await drive(pid, { url: `${gw.url}/healthz`, connections: 20 });
    const refused = await drive(pid, { url: `${gw.url}/v1/events`, method: 'POST', headers: auth, body: JSON.stringify({ ...event(1), data: 'not an object' }), connections: 20, expect: 400 });
    const single = await drive(pid, { url: `${gw.url}/v1/events`, method: 'POST', headers: auth, body: JSON.stringify(event(1)), connections: 20 });
    const batchBody = JSON.stringify({ events: Array.from({ length: 500 }, (_, i) => event(i)) });
    const batch = await drive(pid, { url: `${gw.url}/v1/events/batch`, method: 'POST', headers: auth, body: batchBody, connections: 4, eventsPerRequest: 500 });
    return {
      engine,
      noop_rps: Math.round(noop.rate),
      refused_rps: Math.round(refused.rate),
      refused_vs_noop: +(refused.rate / noop.rate).toFixed(3),
      single_events_per_s: Math.round(single.rate),
      single_vs_noop: +(single.rate / noop.rate).toFixed(3),
      batch_events_per_s: Math.round(batch.rate),
      cpu_us: {
        noop_gateway: noop.gatewayUs,
        refused_gateway: refused.gatewayUs,
        single_gateway: single.gatewayUs,
        single_postgres: engine === 'postgres' ? single.postgresUs : null,
        batch_gateway: batch.gatewayUs,
        batch_postgres: engine === 'postgres' ? batch.postgresUs : null,
      },
      failures: noop.failures + refused.failures + single.failures + batch.failures,
    };
  } finally {
    await gw.stop();
  }
}

const loadBefore = load();
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
console.table(results.map(({ cpu_us: _cpu, ...r }) => r));
console.table(results.map((r) => ({ engine: r.engine, ...r.cpu_us })));
process.stdout.write(`${JSON.stringify({ bench: 'ingest', seconds, at: new Date().toISOString(), commit: commit(), load_before: loadBefore, load_after: load(), results })}\n`);
