/**
 * Group commit for the common outcome, a message posted. Many sends finish close together (up
 * to the worker's concurrency); recording each in its own statement costs a round trip and a
 * commit per message, which is where a busy worker's time went. Instead, posted messages that
 * finish while an earlier record is in flight are written together by the next ONE statement:
 * every delivery settled if this worker still owns it (with a hint when it replaced a subject's
 * root that was gone, send-delivery.ts), subject roots recorded, destinations'
 * pace counted from the answer, outages of their workspaces ended (outages.ts), attempts logged. A lone outcome is written at once, no waiting.
 *
 * Each caller learns whether its own delivery was still owned ('sent') or had been taken away
 * ('lost_claim'); a failed statement fails every caller in it, and each retries on its own.
 */
import type { Queryable } from '../db/database.ts';
import { isRefusedStatement } from '../db/database-errors.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { newId } from '../ids.ts';
import type { ClaimedDelivery } from './claim-deliveries.ts';
import { RESUME_WAITING_SQL } from './outages.ts';
import type { DeliveryReport } from './send-delivery.ts';

export interface SentRecord {
  delivery: ClaimedDelivery;
  report: DeliveryReport;
  startedAt: Date;
  /** The destination's spacing, counted again from the answer (see recordOutcome). */
  destinationIntervalMs?: number;
}

/** Statements in flight at once: one writing, one more gathering behind it. */
const MAX_IN_FLIGHT = 2;

export class SentRecorder {
  readonly #group: GroupCommit<SentRecord, 'sent' | 'lost_claim'>;

  constructor(db: { query: Queryable['query'] }, workerId: string) {
    this.#group = new GroupCommit(
      async (records) => {
        const owned = await recordSentMany(db, workerId, records);
        return records.map((r) => (owned.has(r.delivery.id) ? 'sent' : 'lost_claim'));
      },
      // A refused group (rolled back) is written record by record, so one record's problem does
      // not hold up the others' lines; after a lost connection they all fail (each retries).
      { maxInFlight: MAX_IN_FLIGHT, refused: isRefusedStatement },
    );
  }

  /** Settles once the outcome is recorded: 'lost_claim' if another worker owns the delivery now. */
  record(record: SentRecord): Promise<'sent' | 'lost_claim'> {
    return this.#group.submit(record);
  }
}

/**
 * One statement for any number of posted messages. Returns the ids of the deliveries this worker
 * still owned (and so settled); the attempts are logged either way, as they happened.
 */
export async function recordSentMany(db: { query: Queryable['query'] }, workerId: string, records: readonly SentRecord[]): Promise<Set<string>> {
  if (records.length === 1) return recordSentOne(db, workerId, records[0]);
  const rows = records.map(({ delivery: d, report, startedAt, destinationIntervalMs }) => {
    const o = report.outcome as Extract<DeliveryReport['outcome'], { kind: 'sent' }>;
    const root = d.subject && report.newRoot ? report.newRoot : null;
    return {
      delivery_id: d.id,
      destination_id: d.destinationId,
      project_id: d.projectId,
      subject: d.subject,
      channel: o.channel ?? null,
      ts: o.ts ?? null,
      root_channel: root?.channel ?? null,
      root_ts: root?.ts ?? null,
      interval_ms: destinationIntervalMs ?? null,
      outage_key: d.outageKey,
      attempt_id: newId('att'),
      attempt: d.attempts,
      started_at: startedAt.toISOString(),
      latency_ms: Math.round(report.latencyMs),
      request: report.request,
      http_status: report.httpStatus ?? null,
      response: report.response ?? null,
      root_gone: report.rootGone?.error ?? null,
      hint: report.rootGone?.hint ?? null,
    };
  });
  // Rows travel as one JSON document (parsed by PostgreSQL in C). Pacing rows are locked in key
  // order, so two recorders never deadlock on them. A claim locks its own destinations' rows in
  // its own order; the two meet only when a deliver_at delivery of a destination is claimed while
  // another of its messages is being recorded, and PostgreSQL then refuses one (40P01), which is
  // tried again like any refused statement.
  const { rows: settled } = await db.query<{ id: string }>(
    `WITH input AS MATERIALIZED (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(delivery_id text, destination_id text, project_id text, subject text,
         channel text, ts text, root_channel text, root_ts text, interval_ms float8, outage_key text, attempt_id text, attempt int,
         started_at timestamptz, latency_ms int, request jsonb, http_status int, response jsonb, root_gone text, hint text)
     ), settled AS (
       UPDATE deliveries d SET status = 'sent', sent_at = now(), slack_channel = i.channel, slack_ts = i.ts, last_error = NULL,
         outcome_hint = i.hint, locked_by = NULL, locked_at = NULL, outage_key = NULL, updated_at = now()
       FROM input i
       WHERE d.id = i.delivery_id AND d.status = 'sending' AND d.locked_by = $2
       RETURNING d.id
     ), root AS (
       INSERT INTO subject_messages (destination_id, subject, project_id, channel, ts, delivery_id)
       SELECT i.destination_id, i.subject, i.project_id, i.root_channel, i.root_ts, i.delivery_id
       FROM input i JOIN settled s ON s.id = i.delivery_id
       WHERE i.root_channel IS NOT NULL AND i.subject IS NOT NULL
       ON CONFLICT (destination_id, subject) DO NOTHING
     ), paced AS (
       SELECT b.key, p.interval_ms FROM pacing_buckets b
       JOIN (SELECT i.destination_id, max(i.interval_ms) AS interval_ms FROM input i JOIN settled s ON s.id = i.delivery_id
             WHERE i.interval_ms IS NOT NULL GROUP BY i.destination_id) p ON b.key = 'dst:' || p.destination_id
       ORDER BY b.key
       FOR UPDATE OF b
     ), pace AS (
       UPDATE pacing_buckets b SET tat = greatest(b.tat, now() + p.interval_ms * interval '1 millisecond')
       FROM paced p WHERE b.key = p.key
     ), ended AS (
       DELETE FROM outages o WHERE o.key IN (SELECT i.outage_key FROM input i JOIN settled s ON s.id = i.delivery_id)
       RETURNING o.key, o.failures
     ), resumed AS (
       ${RESUME_WAITING_SQL('ended')}
     ), attempt AS (
       INSERT INTO delivery_attempts (id, project_id, delivery_id, destination_id, attempt, worker, started_at, latency_ms, request,
         http_status, response, outcome, error, slack_channel, slack_ts)
       SELECT i.attempt_id, i.project_id, i.delivery_id, i.destination_id, i.attempt, $2, i.started_at, i.latency_ms, i.request,
         i.http_status, i.response, 'sent', i.root_gone, i.channel, i.ts
       FROM input i
       WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.id = i.delivery_id) -- gone (deleted with its destination): nothing to log against
     )
     SELECT id FROM settled`,
    [JSON.stringify(rows), workerId],
    { prepare: 'record_sent_many' },
  );
  return new Set(settled.map((r) => r.id));
}

/**
 * The same for one message, with plain parameters: a lone outcome is the usual case on PGlite
 * (the database runs on this thread, so no send can finish while a statement runs and groups
 * never form) and in a quiet system, and this statement costs less to plan and run.
 */
async function recordSentOne(db: { query: Queryable['query'] }, workerId: string, { delivery: d, report, startedAt, destinationIntervalMs }: SentRecord): Promise<Set<string>> {
  const o = report.outcome as Extract<DeliveryReport['outcome'], { kind: 'sent' }>;
  const root = d.subject && report.newRoot ? report.newRoot : null;
  const { rows } = await db.query<{ id: string }>(
    `WITH settled AS (
       UPDATE deliveries d SET status = 'sent', sent_at = now(), slack_channel = $3, slack_ts = $4, last_error = NULL,
         outcome_hint = $20::text, locked_by = NULL, locked_at = NULL, outage_key = NULL, updated_at = now()
       WHERE d.id = $1 AND d.status = 'sending' AND d.locked_by = $2
       RETURNING d.id
     ), ended AS (
       DELETE FROM outages WHERE key = $18::text AND EXISTS (SELECT 1 FROM settled) RETURNING key, failures
     ), resumed AS (
       ${RESUME_WAITING_SQL('ended')}
     ), root AS (
       INSERT INTO subject_messages (destination_id, subject, project_id, channel, ts, delivery_id)
       SELECT $5, $6, $7, $8, $9, $1 WHERE $8::text IS NOT NULL AND EXISTS (SELECT 1 FROM settled)
       ON CONFLICT (destination_id, subject) DO NOTHING
     ), pace AS (
       UPDATE pacing_buckets SET tat = greatest(tat, now() + $10 * interval '1 millisecond')
       WHERE key = 'dst:' || $5 AND $10::float8 IS NOT NULL AND EXISTS (SELECT 1 FROM settled)
     ), attempt AS (
       INSERT INTO delivery_attempts (id, project_id, delivery_id, destination_id, attempt, worker, started_at, latency_ms, request,
         http_status, response, outcome, error, slack_channel, slack_ts)
       SELECT $11, $7, $1, $5, $12, $2, $13, $14, $15, $16, $17, 'sent', $19::text, $3, $4
       WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = $1)
     )
     SELECT id FROM settled`,
    [
      d.id, workerId, o.channel ?? null, o.ts ?? null, d.destinationId, d.subject, d.projectId,
      root?.channel ?? null, root?.ts ?? null, destinationIntervalMs ?? null,
      newId('att'), d.attempts, startedAt, Math.round(report.latencyMs), JSON.stringify(report.request), report.httpStatus ?? null,
      report.response === undefined ? null : JSON.stringify(report.response), d.outageKey,
      report.rootGone?.error ?? null, report.rootGone?.hint ?? null,
    ],
    { prepare: 'record_sent_one' },
  );
  return new Set(rows.map((r) => r.id));
}
