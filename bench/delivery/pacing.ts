/**
 * (b) Pacing at Slack's limits: a backlog of 600 messages to 10 channels, the emulator at its
 * Slack-like defaults (1 message/s per channel with a burst of 3, 300/min per workspace; Slack:
 * "1 message per second per channel", "several hundred messages per minute" per workspace
 * [D-POST][D-RATE]). Time from the first message to the last is set against the minimum those
 * limits allow (and, for Switchboard, the minimum its own configured pace allows), with the
 * emulator's 429 count. Switchboard runs with its defaults, and once more
 * with its workspace pace set to what this emulator allows; the baseline is the WebClient loop
 * (100 in flight, its default retries, which wait Retry-After on a 429).
 */
import { loadConfig } from '../../src/config.ts';
import { startEmulator } from '../../test/helpers/emulator.ts';
import { DEFAULT_RATE_LIMITS, type RateLimitConfig } from '../../emulator/rate-limits/rate-limit-config.ts';
import { createBenchEngine, type Engine } from '../support/bench-engines.ts';
import { switchboardBacklog, webClientBacklog, type BacklogResult, type BacklogSpec } from './backlog-runs.ts';

export interface PacingRow {
  sender: string;
  /** Seconds from the first message to the last. */
  seconds: number;
  /** The least time the emulator's limits allow. */
  minimum_s: number;
  over_minimum_pct: number;
  /** Switchboard only: the least time its own configured pace allows. */
  own_pace_minimum_s?: number;
  rate_limited_429s: number;
  delivered: string;
  out_of_order: number;
  duplicates: number;
}

/** Two token buckets a message must pass: one per channel, one per workspace. */
export interface Buckets {
  channelBurst: number;
  channelPerSecond: number;
  workspaceBurst: number;
  workspacePerSecond: number;
}

/**
 * The shortest time `messages` spread evenly over `channels` can take from the first post: each
 * channel starts with its burst and then refills at its rate, and so does the workspace; the
 * slower of the two sets the pace.
 */
export function minimumSeconds(b: Buckets, channels: number, messages: number): number {
  const perChannel = Math.ceil(messages / channels);
  const channelBound = Math.max(0, perChannel - b.channelBurst) / b.channelPerSecond;
  const workspaceBound = Math.max(0, messages - b.workspaceBurst) / b.workspacePerSecond;
  return Math.max(channelBound, workspaceBound);
}

/** The emulator's buckets: its workspace bucket holds a full minute's allowance. */
export function emulatorBuckets(limits: RateLimitConfig): Buckets {
  return {
    channelBurst: limits.channel_burst,
    channelPerSecond: limits.channel_per_second,
    workspaceBurst: limits.workspace_per_minute,
    workspacePerSecond: limits.workspace_per_minute / 60,
  };
}

/** Switchboard's buckets under a configuration given as environment variables. */
export function switchboardBuckets(env: Record<string, string>): Buckets {
  const d = loadConfig({ ...process.env, ...env }).delivery;
  return {
    channelBurst: d.perDestinationBurst,
    channelPerSecond: d.perDestinationPerSecond,
    workspaceBurst: d.perWorkspaceBurst,
    workspacePerSecond: d.perWorkspacePerMinute / 60,
  };
}

/** Switchboard's workspace pace set just under this emulator's cap, with a burst its bucket allows. */
export const PACING_MATCHED_TO_EMULATOR = { SWITCHBOARD_WORKSPACE_PER_MINUTE: '295', SWITCHBOARD_WORKSPACE_BURST: '295' } as const;

function row(sender: string, r: BacklogResult, spec: BacklogSpec, minimum: number, ownMinimum?: number): PacingRow {
  const out: PacingRow = {
    sender,
    seconds: +r.firstToLastSeconds.toFixed(1),
    minimum_s: +minimum.toFixed(1),
    over_minimum_pct: +((r.firstToLastSeconds / minimum - 1) * 100).toFixed(1),
    rate_limited_429s: r.rateLimited,
    delivered: `${r.received - r.duplicates}/${spec.messages}`,
    out_of_order: r.outOfOrder,
    duplicates: r.duplicates,
  };
  if (ownMinimum !== undefined) out.own_pace_minimum_s = +ownMinimum.toFixed(1);
  return out;
}

/**
 * The senders run side by side, each in its own workspace (own buckets, own 429 count): at these
 * rates the machine is nearly idle, so running them together does not slow any of them, and it
 * keeps the bench at two minutes instead of five.
 */
export async function pacingBench(engine: Engine, spec: BacklogSpec = { channels: 10, messages: 600, timeoutMs: 200_000 }): Promise<PacingRow[]> {
  const slack = await startEmulator();
  const minimum = minimumSeconds(emulatorBuckets(DEFAULT_RATE_LIMITS), spec.channels, spec.messages);
  const switchboard = async (sender: string, pacing: Record<string, string>) => {
    const own = minimumSeconds(switchboardBuckets(pacing), spec.channels, spec.messages);
    const db = await createBenchEngine(engine, slack.apiUrl);
    try {
      return row(`${sender} (${engine})`, await switchboardBacklog(slack, db, spec, pacing), spec, minimum, own);
    } finally {
      await db.drop();
    }
  };
  try {
    const runs = [
      switchboard('switchboard defaults', {}),
      switchboard('switchboard 295/min burst 295', PACING_MATCHED_TO_EMULATOR),
      webClientBacklog(slack, spec, { concurrency: 100, retries: 'default' }).then((r) => row('WebClient loop, 100 in flight', r, spec, minimum)),
    ];
    return await Promise.all(runs);
  } finally {
    await slack.close();
  }
}
