/**
 * bench/recovery: how fast the delivery engine catches up after a Slack outage. 2,000 events to
 * 20 destinations of one emulator workspace (10 incoming webhooks, 10 channels through the bot
 * token; each destination takes only its own events, `data.d == N`), sent by 20 clients one
 * after another while the emulator answers HTTP 503 to every call of that workspace for
 * `--outage-seconds` of wall time. Measured: the time from the end of the outage to the last
 * message's arrival, beside
 * - the minimum the gateway's pace allows for what was left at the end of the outage: the
 *   slowest destination's backlog at its per-destination pace, bounded by the workspace pace
 *   (bursts counted);
 * - a baseline measured in the same run: the same backlog, destination by destination, queued at
 *   once in a fresh workspace that never had an outage, timed from the first batch to the last
 *   arrival.
 * The gateway is a spawned `switchboard start` on a throwaway PostgreSQL database (BENCH_POSTGRES_URL,
 * default the local server); Slack is the emulator, in this process (arrivals timed as in
 * bench/delivery). Prints a table and one JSON line with every number.
 *
 *   npx tsx bench/recovery/run.ts [--outage-seconds 90] [--timeout-minutes 25]
 */
import { cpus } from 'node:os';
import { startEmulator, type StartedEmulator } from '../../test/helpers/emulator.ts';
import { WEBHOOK_COUNTER } from '../../emulator/rate-limits/call-counters.ts';
import {
  createOwnDatabase,
  freePort,
  LINE_EVENT_TYPE,
  sendLine,
  setUpLines,
  sleep,
  startSwitchboard,
  switchboardSetup,
  callSwitchboard,
  type IngestTrouble,
  type Lines,
  type SwitchboardProcess,
} from '../../test/helpers/spawned-switchboard.ts';
import { EmulatorArrivals, epochNow } from '../support/emulator-arrivals.ts';
import { benchPostgresUrl, postgresAvailable } from '../support/postgres-bench-database.ts';
import { commit, load } from '../support/run-info.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write('usage: npx tsx bench/recovery/run.ts [--outage-seconds 90] [--timeout-minutes 25]\n');
    process.exit(2);
  }
  return value;
}

const OUTAGE_S = option('--outage-seconds', 90);
const TIMEOUT_MS = option('--timeout-minutes', 25) * 60_000;
const WEBHOOKS = 10;
const CHANNELS = 10;
const PER_LINE = 100;
const TOTAL = (WEBHOOKS + CHANNELS) * PER_LINE;
/** The outage starts this long after the first event, so the lines are moving when it comes. */
const OUTAGE_AFTER_MS = 3_000;

/** The gateway's pace, as the security probe's durability run had it (2 msg/s per destination, 40/s per workspace). */
const PACE = { perDestinationPerSecond: 2, destinationBurst: 3, workspacePerMinute: 2_400, workspaceBurst: 300 };
const GATEWAY_ENV = {
  SWITCHBOARD_PACE_PER_SECOND: String(PACE.perDestinationPerSecond),
  SWITCHBOARD_PACE_BURST: String(PACE.destinationBurst),
  SWITCHBOARD_WORKSPACE_PER_MINUTE: String(PACE.workspacePerMinute),
  SWITCHBOARD_WORKSPACE_BURST: String(PACE.workspaceBurst),
  SWITCHBOARD_SEND_TIMEOUT_MS: '4000',
  SWITCHBOARD_WORKER_STALE_SECONDS: '10',
};
/** The emulator a little above the gateway's pace, so no 429 muddies the measurement. */
const EMULATOR_LIMITS = { enabled: true, channel_per_second: 3, channel_burst: 5, workspace_per_minute: 6_000 };

/**
 * The least time `left` (messages per destination) can take at the gateway's pace: each
 * destination has its burst, then its rate; the workspace likewise; the slower bound wins.
 */
function paceMinimumSeconds(left: number[]): { seconds: number; destinationBound: number; workspaceBound: number } {
  const destinationBound = Math.max(0, ...left.map((l) => Math.max(0, l - PACE.destinationBurst))) / PACE.perDestinationPerSecond;
  const total = left.reduce((s, l) => s + l, 0);
  const workspaceBound = Math.max(0, total - PACE.workspaceBurst) / (PACE.workspacePerMinute / 60);
  return { seconds: Math.max(destinationBound, workspaceBound), destinationBound, workspaceBound };
}

/** First arrivals per line, read from the arrivals watcher: line d's set of numbers and the time of its newest first copy. */
function firstArrivals(arrivals: EmulatorArrivals, set: Lines): { unique: Map<number, Set<number>>; lastFirstAt: number; duplicates: number; outOfOrder: number } {
  const unique = new Map<number, Set<number>>();
  let lastFirstAt = NaN;
  let duplicates = 0;
  let outOfOrder = 0;
  for (const line of set.lines) {
    const seen = new Set<number>();
    let highest = 0;
    for (const a of arrivals.byChannel.get(line.channelId) ?? []) {
      if (seen.has(a.n)) {
        duplicates++;
        continue;
      }
      seen.add(a.n);
      if (a.n < highest) outOfOrder++;
      highest = Math.max(highest, a.n);
      if (!(a.at <= lastFirstAt)) lastFirstAt = a.at;
    }
    unique.set(line.d, seen);
  }
  return { unique, lastFirstAt, duplicates, outOfOrder };
}

async function waitForAll(arrivals: EmulatorArrivals, set: Lines, expected: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { unique } = firstArrivals(arrivals, set);
    if ([...unique.values()].reduce((s, u) => s + u.size, 0) >= expected) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

function teamCalls(slack: StartedEmulator, teamId: string): { posts: number; rateLimited: number } {
  const t = slack.emulator.counters.snapshot().by_team[teamId];
  return { posts: (t?.calls['chat.postMessage'] ?? 0) + (t?.calls[WEBHOOK_COUNTER] ?? 0), rateLimited: t?.rate_limited ?? 0 };
}

if (!(await postgresAvailable())) {
  process.stderr.write('PostgreSQL not reachable (BENCH_POSTGRES_URL): this benchmark runs on PostgreSQL only\n');
  process.exit(1);
}

const report: Record<string, unknown> = {
  bench: 'recovery',
  at: new Date().toISOString(),
  commit: commit(),
  load_before: load(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.versions.node}`,
  outage_s: OUTAGE_S,
  pace: PACE,
};
const started = performance.now();
const slack = await startEmulator({ rateLimits: EMULATOR_LIMITS });
const database = await createOwnDatabase(benchPostgresUrl, 'sb_bench');
let gateway: SwitchboardProcess | undefined;
try {
  const setup = switchboardSetup(slack, database.url, await freePort(), GATEWAY_ENV);
  gateway = await startSwitchboard(setup);

  // --- The outage run
  const set = await setUpLines(gateway, setup, { webhooks: WEBHOOKS, channels: CHANNELS }, 'recovery');
  await slack.control.setRateLimits(set.teamId, EMULATOR_LIMITS);
  const arrivals = new EmulatorArrivals(slack.state, set.teamId, set.lines.map((l) => l.channelId));
  const troubles: IngestTrouble[] = [];
  const ingestStarted = epochNow();
  const url = gateway.url;
  const clients = Promise.all(
    set.lines.map((line) => sendLine(url, set.projectKey, line.d, 1, PER_LINE, { gapMs: 100, onTrouble: (t) => troubles.push(t) })),
  );
  await sleep(OUTAGE_AFTER_MS);
  const outageStart = epochNow();
  const atOutageStart = firstArrivals(arrivals, set).unique;
  // Every call of this workspace, Web API or webhook, answers 503 until the faults are cleared.
  await slack.control.addFault({ method: '*', team_id: set.teamId, kind: 'http_error', status: 503, count: 1_000_000_000 });
  await slack.control.addFault({ webhook: '*', team_id: set.teamId, kind: 'http_error', status: 503, count: 1_000_000_000 });
  await clients;
  const ingestSeconds = (epochNow() - ingestStarted) / 1000;
  const callsAtStart = teamCalls(slack, set.teamId);
  await sleep(Math.max(0, outageStart + OUTAGE_S * 1000 - epochNow()));
  const failedCalls = (await slack.control.faults()).reduce((s, f) => s + f.hits, 0);
  await slack.control.clearFaults();
  const outageEnd = epochNow();
  const atEnd = firstArrivals(arrivals, set).unique;
  const left = set.lines.map((line) => PER_LINE - (atEnd.get(line.d)?.size ?? 0));
  const leftTotal = left.reduce((s, l) => s + l, 0);
  const minimum = paceMinimumSeconds(left);
  process.stderr.write(`outage over after ${OUTAGE_S} s: ${leftTotal} messages left (most on one destination: ${Math.max(...left)}); pace minimum ${minimum.seconds.toFixed(1)} s\n`);

  const complete = await waitForAll(arrivals, set, TOTAL, TIMEOUT_MS);
  const after = firstArrivals(arrivals, set);
  arrivals.stop();
  const recoverySeconds = (after.lastFirstAt - outageEnd) / 1000;
  const delivered = [...after.unique.values()].reduce((s, u) => s + u.size, 0);

  // --- The baseline: the same backlog, queued at once where Slack never failed
  const base = await setUpLines(gateway, setup, { webhooks: WEBHOOKS, channels: CHANNELS }, 'recovery baseline');
  await slack.control.setRateLimits(base.teamId, EMULATOR_LIMITS);
  const baseArrivals = new EmulatorArrivals(slack.state, base.teamId, base.lines.map((l) => l.channelId));
  const events: unknown[] = [];
  for (let n = 1; n <= Math.max(...left); n++) {
    for (const line of base.lines) if (n <= left[line.d - 1]) events.push({ type: LINE_EVENT_TYPE, data: { d: line.d, n } });
  }
  const baseStarted = epochNow();
  for (let i = 0; i < events.length; i += 500) {
    await callSwitchboard(gateway.url, base.projectKey, 'POST', '/v1/events/batch', { events: events.slice(i, i + 500) }, 202);
  }
  const baseComplete = await waitForAll(baseArrivals, base, leftTotal, TIMEOUT_MS);
  const baseAfter = firstArrivals(baseArrivals, base);
  baseArrivals.stop();
  const baselineSeconds = leftTotal === 0 ? 0 : (baseAfter.lastFirstAt - baseStarted) / 1000;

  const row = {
    outage_s: OUTAGE_S,
    left_at_end: leftTotal,
    most_left_on_one: Math.max(...left),
    recovery_s: +recoverySeconds.toFixed(1),
    pace_minimum_s: +minimum.seconds.toFixed(1),
    ratio_to_minimum: +(recoverySeconds / minimum.seconds).toFixed(2),
    baseline_s: +baselineSeconds.toFixed(1),
    ratio_to_baseline: +(recoverySeconds / baselineSeconds).toFixed(2),
    delivered: `${delivered}/${TOTAL}`,
    duplicates: after.duplicates,
    out_of_order: after.outOfOrder,
  };
  console.log(`\nrecovery after a ${OUTAGE_S} s Slack outage (every call 503), 2,000 messages to 20 destinations, pace 2/s per destination and 40/s per workspace`);
  console.table([row]);
  if (!complete) console.log(`incomplete: ${TOTAL - delivered} messages had not arrived ${TIMEOUT_MS / 60_000} minutes after the outage (recovery_s is to the last arrival seen)`);
  Object.assign(report, {
    result: row,
    complete,
    baseline_complete: baseComplete,
    delivered_before_outage: [...atOutageStart.values()].reduce((s, u) => s + u.size, 0),
    left_per_destination: left,
    pace_minimum: minimum,
    ingest_s: +ingestSeconds.toFixed(1),
    ingest_troubles: troubles.length,
    posts_during_ingest: callsAtStart.posts,
    failed_calls_during_outage: failedCalls,
    rate_limited_429s: teamCalls(slack, set.teamId).rateLimited + teamCalls(slack, base.teamId).rateLimited,
    baseline_duplicates: baseAfter.duplicates,
    baseline_out_of_order: baseAfter.outOfOrder,
  });
} finally {
  await gateway?.cleanup();
  await database.drop();
  await slack.close();
}
report.load_after = load();
report.seconds = Math.round((performance.now() - started) / 1000);
process.stdout.write(`${JSON.stringify(report)}\n`);
