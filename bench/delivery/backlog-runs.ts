/**
 * One backlog of messages delivered two ways, into a fresh emulator workspace each time (its own
 * channels, rate-limit buckets and counters):
 * - Switchboard, durably: a gateway with SWITCHBOARD_DELIVERY=off ingests every event and exits,
 *   then a delivering gateway starts on the same database and is timed from its start until the
 *   emulator holds every message;
 * - the baseline: a plain WebClient loop in a process of its own, timed from its first call.
 * Arrivals are seen in-process (emulator-arrivals.ts), so both are timed by the same watch.
 */
import { fileURLToPath } from 'node:url';
import type { StartedEmulator } from '../../test/helpers/emulator.ts';
import type { BenchEngine } from '../support/bench-engines.ts';
import { EmulatorArrivals, type ArrivalReport } from '../support/emulator-arrivals.ts';
import { spawnReadyProcess } from '../support/spawn-gateway.ts';
import { benchEvent, SwitchboardClient } from '../support/switchboard-client.ts';
import type { WebClientLoopJob, WebClientLoopResult } from '../support/webclient-loop.ts';

const SWITCHBOARD_PROCESS = fileURLToPath(new URL('../support/switchboard-process.ts', import.meta.url));
const WEBCLIENT_PROCESS = fileURLToPath(new URL('../support/webclient-loop-process.ts', import.meta.url));

export interface BacklogSpec {
  channels: number;
  messages: number;
  /** Give up waiting after this long (the result then says how many arrived). */
  timeoutMs: number;
}

export interface BacklogResult extends ArrivalReport {
  /** From the sender's start (gateway start, or the loop's first call) to the last arrival. */
  seconds: number;
  /** From the first arrival to the last. */
  firstToLastSeconds: number;
  /** 429s the emulator answered in this workspace. */
  rateLimited: number;
  completed: boolean;
  /** Switchboard only: time to ingest the backlog (not part of `seconds`). */
  ingestSeconds?: number;
  /** Baseline only: what the loop itself saw. */
  loop?: WebClientLoopResult;
}

interface BenchWorkspace {
  teamId: string;
  botToken: string;
  channelIds: string[];
}

let workspaces = 0;

async function benchWorkspace(slack: StartedEmulator, channels: number): Promise<BenchWorkspace> {
  const n = ++workspaces;
  const ws = await slack.control.createWorkspace({
    name: `Bench ${n}`,
    apps: [{ name: `Switchboard bench ${n}`, scopes: ['chat:write', 'channels:read', 'channels:join'] }],
    channels: Array.from({ length: channels }, (_, i) => ({ name: `bench-${i}` })),
  });
  if (!ws.bot_token) throw new Error('the bench workspace has no bot token');
  return { teamId: ws.team_id, botToken: ws.bot_token, channelIds: ws.channels.map((c) => c.id) };
}

const timeout = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());

async function rateLimitedIn(slack: StartedEmulator, teamId: string): Promise<number> {
  return (await slack.control.counters()).by_team[teamId]?.rate_limited ?? 0;
}

function result(report: ArrivalReport, startedAt: number, expected: number, rateLimited: number): BacklogResult {
  return {
    ...report,
    seconds: (report.lastAt - startedAt) / 1000,
    firstToLastSeconds: (report.lastAt - report.firstAt) / 1000,
    rateLimited,
    completed: report.received >= expected && report.missing === 0,
  };
}

/** Switchboard: ingest with delivery off, then time a delivering process. `deliveryEnv` sets its pacing. */
export async function switchboardBacklog(slack: StartedEmulator, engine: BenchEngine, spec: BacklogSpec, deliveryEnv: Record<string, string>): Promise<BacklogResult> {
  const ws = await benchWorkspace(slack, spec.channels);
  const ingest = await spawnReadyProcess<{ url: string }>(SWITCHBOARD_PROCESS, { ...engine.env, SWITCHBOARD_DELIVERY: 'off' });
  let ingestSeconds: number;
  try {
    const client = new SwitchboardClient(ingest.ready.url, engine.adminKey);
    await client.setUp(ws.botToken, ws.channelIds);
    const started = performance.now();
    await client.sendBatches(Array.from({ length: spec.messages }, (_, n) => benchEvent(n, spec.channels)));
    ingestSeconds = (performance.now() - started) / 1000;
  } finally {
    await ingest.stop();
  }

  const arrivals = new EmulatorArrivals(slack.state, ws.teamId, ws.channelIds);
  const delivery = await spawnReadyProcess<{ url: string; startedAt: number }>(SWITCHBOARD_PROCESS, { ...engine.env, ...deliveryEnv, SWITCHBOARD_DELIVERY: 'on' });
  try {
    await Promise.race([arrivals.waitForCount(spec.messages), timeout(spec.timeoutMs)]);
    return { ...result(arrivals.report(spec.messages), delivery.ready.startedAt, spec.messages, await rateLimitedIn(slack, ws.teamId)), ingestSeconds };
  } finally {
    arrivals.stop();
    await delivery.stop();
  }
}

/** The baseline: a WebClient loop with `concurrency` calls in flight, in its own process. */
export async function webClientBacklog(slack: StartedEmulator, spec: BacklogSpec, options: Pick<WebClientLoopJob, 'concurrency' | 'retries'>): Promise<BacklogResult> {
  const ws = await benchWorkspace(slack, spec.channels);
  const arrivals = new EmulatorArrivals(slack.state, ws.teamId, ws.channelIds);
  const job: WebClientLoopJob = { apiUrl: slack.apiUrl, token: ws.botToken, channels: ws.channelIds, count: spec.messages, ...options };
  const loop = await spawnReadyProcess<{ startedAt: number }>(WEBCLIENT_PROCESS, { BENCH_WEBCLIENT_JOB: JSON.stringify(job) });
  try {
    const done = await Promise.race([loop.waitFor<WebClientLoopResult>('done'), timeout(spec.timeoutMs)]);
    const out = result(arrivals.report(spec.messages), loop.ready.startedAt, spec.messages, await rateLimitedIn(slack, ws.teamId));
    return done === 'timeout' ? out : { ...out, loop: done };
  } finally {
    arrivals.stop();
    await loop.stop();
  }
}
