/**
 * bench/delivery: the delivery engine against the local Slack emulator, each measurement beside a
 * baseline measured in the same run.
 *   (a) throughput: 5,000 messages to 50 channels, limits off, durable, vs a plain WebClient loop
 *   (b) pacing: 600 messages to 10 channels at Slack's limits, vs the theoretical minimum and a
 *       WebClient loop; 429s counted by the emulator
 *   (c) idle latency: POST /v1/events to the emulator receiving the message, p50/p99 over 1,000
 *       events, vs a direct chat.postMessage
 * Prints a table per part and one JSON line with everything. PostgreSQL from BENCH_POSTGRES_URL
 * (default the local server); without it, PGlite only and (b) is skipped.
 *
 *   npx tsx bench/delivery/run.ts [--only a|b|c]
 */
import { engineAvailable, type Engine } from '../support/bench-engines.ts';
import { commit, load } from '../support/run-info.ts';
import { idleLatencyBench } from './idle-latency.ts';
import { pacingBench } from './pacing.ts';
import { throughputBench } from './throughput.ts';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
if (only !== undefined && !['a', 'b', 'c'].includes(only)) {
  process.stderr.write('usage: npx tsx bench/delivery/run.ts [--only a|b|c]\n');
  process.exit(2);
}
const runs = (part: string) => only === undefined || only === part;

const postgres = await engineAvailable('postgres');
if (!postgres) process.stderr.write('PostgreSQL not reachable (BENCH_POSTGRES_URL): PGlite only, and no pacing run\n');
const engines: Engine[] = postgres ? ['postgres', 'pglite'] : ['pglite'];

const report: Record<string, unknown> = { bench: 'delivery', at: new Date().toISOString(), commit: commit(), load_before: load() };
const started = performance.now();

if (runs('a')) {
  const rows = await throughputBench(engines);
  console.log('\n(a) throughput: 5,000 messages to 50 channels, emulator limits off (target: switchboard ≥ 50% of the baseline)');
  console.table(rows);
  report.throughput = rows;
}
if (runs('b') && postgres) {
  const rows = await pacingBench('postgres');
  console.log('\n(b) pacing: 600 messages to 10 channels at the emulator\'s Slack-like limits (target: within 10% of the minimum, zero 429s)');
  console.table(rows);
  report.pacing = rows;
}
if (runs('c')) {
  const rows = await idleLatencyBench(engines);
  console.log('\n(c) idle latency: POST /v1/events to the emulator receiving the message, 1,000 events one after another (target: p99 < 50 ms on PostgreSQL)');
  console.table(rows);
  report.idle_latency = rows;
}

report.load_after = load();
report.seconds = Math.round((performance.now() - started) / 1000);
process.stdout.write(`${JSON.stringify(report)}\n`);
