/**
 * (a) Throughput: 5,000 messages to 50 channels with the emulator's rate limits off and
 * Switchboard's pacing opened up, so only the machinery is measured. Switchboard delivers a
 * durable backlog (ingested beforehand by a non-delivering process) and is timed from the start of
 * the delivering process until the emulator holds all 5,000; the baseline is a plain WebClient loop
 * with 100 calls in flight and no durability, measured just before and just after it against the
 * same emulator.
 */
import { startEmulator } from '../../test/helpers/emulator.ts';
import { createBenchEngine, type Engine } from '../support/bench-engines.ts';
import { switchboardBacklog, webClientBacklog, type BacklogResult, type BacklogSpec } from './backlog-runs.ts';

/** Pacing far above anything this machine reaches: the emulator's limits are off too. */
export const RELAXED_PACING = {
  SWITCHBOARD_PACE_PER_SECOND: '100000',
  SWITCHBOARD_PACE_BURST: '100000',
  SWITCHBOARD_WORKSPACE_PER_MINUTE: '10000000',
  SWITCHBOARD_WORKSPACE_BURST: '1000000',
} as const;

export interface ThroughputRow {
  engine: Engine;
  messages: number;
  /** Messages per second from the delivering process's start to the last arrival. */
  switchboard_per_s: number;
  /** The same from the first arrival to the last (start-up excluded). */
  switchboard_steady_per_s: number;
  baseline_per_s: number;
  ratio: number;
  ingest_s: number;
  duplicates: number;
  out_of_order: number;
  missing: number;
}

/** Distinct messages that arrived per second (an incomplete run shows in `missing`). */
const rate = (r: BacklogResult, seconds: number) => Math.round((r.received - r.duplicates) / seconds);

/**
 * Per engine: baseline, Switchboard, baseline again; the faster baseline counts. Other work on a
 * shared machine comes and goes, and a baseline that happened to run slow would flatter the ratio.
 */
export async function throughputBench(engines: Engine[], spec: BacklogSpec = { channels: 50, messages: 5_000, timeoutMs: 120_000 }): Promise<ThroughputRow[]> {
  const slack = await startEmulator({ rateLimits: { enabled: false } });
  const baseline = async () => {
    const r = await webClientBacklog(slack, spec, { concurrency: 100, retries: 'none' });
    if (!r.completed) throw new Error(`the baseline delivered ${r.received} of ${spec.messages}: ${JSON.stringify(r.loop?.errors)}`);
    return rate(r, r.seconds);
  };
  const rows: ThroughputRow[] = [];
  try {
    for (const engine of engines) {
      const before = await baseline();
      const db = await createBenchEngine(engine, slack.apiUrl);
      let sb: BacklogResult;
      try {
        sb = await switchboardBacklog(slack, db, spec, RELAXED_PACING);
      } finally {
        await db.drop();
      }
      const baselinePerSecond = Math.max(before, await baseline());
      rows.push({
        engine,
        messages: spec.messages,
        switchboard_per_s: rate(sb, sb.seconds),
        switchboard_steady_per_s: rate(sb, sb.firstToLastSeconds),
        baseline_per_s: baselinePerSecond,
        ratio: +(rate(sb, sb.seconds) / baselinePerSecond).toFixed(3),
        ingest_s: +(sb.ingestSeconds ?? 0).toFixed(2),
        duplicates: sb.duplicates,
        out_of_order: sb.outOfOrder,
        missing: sb.missing,
      });
    }
  } finally {
    await slack.close();
  }
  return rows;
}
