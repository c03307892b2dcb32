/**
 * Outages (sql/006_outages.sql). A send that fails with an error worth waiting out (HTTP 5xx, a
 * timeout, a network error, Slack's internal_error…) marks its workspace (or webhook host) as in
 * an outage. Each head that failed still gets its own backoff (retry-schedule.ts), but while the
 * outage lasts that is not what decides when it goes: the heads waiting on it are held, and one
 * of them (the one whose own backoff ends first) is tried every OUTAGE_PROBE_SECONDS as a probe;
 * the first send there that gets through ends the outage and makes every head waiting on it due
 * at once, so the lines drain in order within pacing instead of each waiting out its own 10 to 60
 * minutes. Lines with nothing failed yet are not held: their next message is tried as usual (and
 * waits on the outage if it fails too). If no probe happened for OUTAGE_PROBE_STALE_SECONDS (the
 * probe's destination paused, say), the heads fall back on their own backoff.
 *
 * A lone failure answered by another line's success is not an outage (one message Slack keeps
 * failing while the workspace works): heads are held, probed and resumed only once the outage saw
 * OUTAGE_CONFIRMED_FAILURES failures with no success in between; until then each keeps its own
 * backoff.
 *
 * All of it is rows, so it holds across processes and restarts: the outage row, and each waiting
 * delivery's outage_key (kept while a probe is in flight, so one probe at a time per outage).
 */
import type { Queryable } from '../db/database.ts';

/** How often a waiting head is tried while its workspace (or webhook host) is in an outage. */
export const OUTAGE_PROBE_SECONDS = 10;
/** Failures in a row (no success in between) before heads are held, probed, and resumed by a success. */
export const OUTAGE_CONFIRMED_FAILURES = 2;
/** A probe overdue this long is not happening: heads waiting on that outage go by their own backoff. */
export const OUTAGE_PROBE_STALE_SECONDS = 60;

/**
 * Where a destination's outage is counted: its workspace's Web API ('team:T…') or its workspace's
 * incoming webhooks ('hook:T…'; the host when the URL names no workspace). The two are kept apart
 * so a working Web API does not keep waking webhooks that still fail, and the other way round.
 */
export function outageKey(kind: 'webhook' | 'channel' | 'dm', teamId: string | null, webhookUrl?: string): string | null {
  if (kind !== 'webhook') return teamId ? `team:${teamId}` : null;
  if (teamId) return `hook:${teamId}`;
  if (!webhookUrl) return null;
  try {
    return `hook:${new URL(webhookUrl).host}`;
  } catch {
    return null;
  }
}

/** Errors that say something about the workspace rather than the pace: a rate limit is not an outage. */
export function countsTowardOutage(outcome: { error: string; unknown?: boolean }): boolean {
  return !outcome.unknown && !/^rate_?limited$/.test(outcome.error);
}

/** The longest wait between probes of a long outage, in seconds. */
export const OUTAGE_PROBE_MAX_SECONDS = 300;

/**
 * A failed send: starts the outage or counts one more failure, and puts off the next probe. Probes
 * come every OUTAGE_PROBE_SECONDS at first; once the outage has lasted a minute they space out to a
 * sixth of its age (20 s after two minutes, a minute after six), at most OUTAGE_PROBE_MAX_SECONDS:
 * a short outage is noticed to be over within seconds, and a day-long one costs hundreds of calls,
 * not thousands.
 */
export async function noteOutageFailure(tx: Queryable, key: string, error: string, probeMs: number, maxProbeMs = probeMs * (OUTAGE_PROBE_MAX_SECONDS / OUTAGE_PROBE_SECONDS)): Promise<void> {
  await tx.query(
    `INSERT INTO outages (key, last_error, probe_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
     ON CONFLICT (key) DO UPDATE SET failures = outages.failures + 1, last_error = excluded.last_error,
       last_failure_at = now(),
       probe_at = now() + LEAST(GREATEST($3 * interval '1 millisecond', (now() - outages.started_at) / 6), $4 * interval '1 millisecond')`,
    [key, error, probeMs, maxProbeMs],
  );
}

/**
 * A send there got through: the outage (if any) is over and, if it was one, every delivery
 * waiting on it is due now. The SQL is shared with the sent records (sent-recorder.ts), which
 * do the same inside their one statement: `ended` over the keys of the settled deliveries.
 */
export const RESUME_WAITING_SQL = (ended: string) =>
  `UPDATE deliveries w SET run_at = now(), outage_key = NULL, updated_at = now()
   FROM ${ended} e WHERE w.outage_key = e.key AND e.failures >= ${OUTAGE_CONFIRMED_FAILURES} AND w.status = 'pending'`;

/** Ends the outage of `key`, if any; resolves to how many waiting deliveries it made due. */
export async function endOutage(tx: Queryable, key: string): Promise<number> {
  const { rowCount } = await tx.query(
    `WITH ended AS (DELETE FROM outages WHERE key = $1 RETURNING key, failures)
     ${RESUME_WAITING_SQL('ended')}`,
    [key],
  );
  return rowCount;
}

/** SQL: the head `h` (columns id, outage_key) waits on an outage that is being probed: only a probe sends it. */
export function heldByOutageSql(h: string): string {
  return `(${h}.outage_key IS NOT NULL AND EXISTS (SELECT 1 FROM outages o WHERE o.key = ${h}.outage_key
      AND o.failures >= ${OUTAGE_CONFIRMED_FAILURES} AND o.probe_at > now() - ${OUTAGE_PROBE_STALE_SECONDS} * interval '1 second'))`;
}

/**
 * SQL: the id of the next probe of outage `key`: of the messages waiting on it, the one whose own
 * backoff ends first (so a failed probe goes to the back), among destinations that may send.
 */
function probeCandidateSql(key: string): string {
  return `(SELECT x.id FROM deliveries x JOIN destinations xt ON xt.id = x.destination_id
      WHERE x.outage_key = ${key} AND x.status = 'pending' AND x.deliver_at IS NULL AND xt.status = 'active'
        -- only the head of its line can be sent (a retried older delivery may have gone ahead of it)
        AND NOT EXISTS (SELECT 1 FROM deliveries y WHERE y.destination_id = x.destination_id
          AND y.status IN ('pending', 'sending') AND y.deliver_at IS NULL AND y.seq < x.seq)
      ORDER BY x.run_at, x.seq LIMIT 1)`;
}

/** SQL: a message waiting on outage `key` is being sent: the probe in flight (one at a time). */
export const probeInFlightSql = (key: string) => `EXISTS (SELECT 1 FROM deliveries x WHERE x.outage_key = ${key} AND x.status = 'sending')`;

/** SQL: the head `h` is its outage's probe now: the probe is due, none is in flight, and `h` is next. */
export function isProbeSql(h: string): string {
  return `(${h}.outage_key IS NOT NULL AND EXISTS (
      SELECT 1 FROM outages o WHERE o.key = ${h}.outage_key AND o.failures >= ${OUTAGE_CONFIRMED_FAILURES} AND o.probe_at <= now()
        AND NOT ${probeInFlightSql('o.key')} AND ${probeCandidateSql('o.key')} = ${h}.id))`;
}

/**
 * SQL: when the head `h` may go next, as far as outages go (pacing aside): its run_at if it waits
 * on none being probed; the probe time if it is the next probe; otherwise null (resumed by a
 * success, which wakes the worker that recorded it, or re-checked on the worker's idle timer).
 */
export function nextDueSql(h: string): string {
  return `(CASE WHEN NOT ${heldByOutageSql(h)} THEN ${h}.run_at
      ELSE (SELECT o.probe_at FROM outages o WHERE o.key = ${h}.outage_key
              AND NOT ${probeInFlightSql('o.key')} AND ${probeCandidateSql('o.key')} = ${h}.id) END)`;
}
