/**
 * (b) Pacing at Slack's limits: a backlog of 600 messages to 10 channels, the emulator at its
 * Slack-like defaults (1 message/s per channel with a burst of 3, 300/min per workspace; Slack:
 * "1 message per second per channel", "several hundred messages per minute" per workspace
 * [D-POST][D-RATE]). Time from the first message to the last is set against the minimum those
 * limits allow, with the emulator's 429 count. Switchboard runs with its defaults, and once more
 * with its workspace pace set to what this emulator allows; the baseline is the WebClient loop
 * (100 in flight, its default retries, which wait Retry-After on a 429).
 */
import { startEmulator } from '../../test/helpers/emulator.ts';
import { DEFAULT_RATE_LIMITS, type RateLimitConfig } from '../../emulator/rate-limits/rate-limit-config.ts';
import { createBenchEngine, type Engine } from '../support/bench-engines.ts';
import { switchboardBacklog, webClientBacklog, type BacklogResult, type BacklogSpec } from './backlog-runs.ts';

export interface PacingRow {
  sender: string;
  /** Seconds from the first message to the last. */
  seconds: number;
  minimum_s: number;
  over_minimum_pct: number;
  rate_limited_429s: number;
  delivered: string;
  out_of_order: number;
  duplicates: number;
}

/**
 * The shortest time `messages` spread evenly over `channels` can take under these limits, from the
 * first post: each channel starts with its burst then gets channel_per_second; the workspace starts
 * with a full minute's allowance (the emulator's bucket holds workspace_per_minute) then refills at
 * workspace_per_minute / 60 per second. The slower of the two sets the pace.
 */
export function theoreticalMinimumSeconds(limits: RateLimitConfig, channels: number, messages: number): number {
  const perChannel = Math.ceil(messages / channels);
  const channelBound = Math.max(0, perChannel - limits.channel_burst) / limits.channel_per_second;
  const workspaceBound = Math.max(0, messages - limits.workspace_per_minute) / (limits.workspace_per_minute / 60);
  return Math.max(channelBound, workspaceBound);
}

/** Switchboard's workspace pace set just under this emulator's cap, with a burst its bucket allows. */
export const PACING_MATCHED_TO_EMULATOR = { SWITCHBOARD_WORKSPACE_PER_MINUTE: '295', SWITCHBOARD_WORKSPACE_BURST: '295' } as const;

function row(sender: string, r: BacklogResult, spec: BacklogSpec, minimum: number): PacingRow {
  return {
    sender,
    seconds: +r.firstToLastSeconds.toFixed(1),
    minimum_s: +minimum.toFixed(1),
    over_minimum_pct: +((r.firstToLastSeconds / minimum - 1) * 100).toFixed(1),
    rate_limited_429s: r.rateLimited,
    delivered: `${r.received - r.duplicates}/${spec.messages}`,
    out_of_order: r.outOfOrder,
    duplicates: r.duplicates,
  };
}

/**
 * The senders run side by side, each in its own workspace (own buckets, own 429 count): at these
 * rates the machine is nearly idle, so running them together does not slow any of them, and it
 * keeps the bench at two minutes instead of five.
 */
export async function pacingBench(engine: Engine, spec: BacklogSpec = { channels: 10, messages: 600, timeoutMs: 200_000 }): Promise<PacingRow[]> {
  const slack = await startEmulator();
  const minimum = theoreticalMinimumSeconds(DEFAULT_RATE_LIMITS, spec.channels, spec.messages);
  const switchboard = async (sender: string, pacing: Record<string, string>) => {
    const db = await createBenchEngine(engine, slack.apiUrl);
    try {
      return row(`${sender} (${engine})`, await switchboardBacklog(slack, db, spec, pacing), spec, minimum);
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
