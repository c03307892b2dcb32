/**
 * Reading the delivery queue and its audit log: a project's deliveries newest first, filtered by
 * status, destination, event type and time of acceptance, with a cursor; and one delivery with
 * every attempt made to send it (oldest first) and the state of its destination.
 */
import type { Queryable } from '../db/database.ts';
import type { Destination } from '../destinations/destination-store.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { SendOutcome } from '../slack/slack-transport.ts';
import { DELIVERY_STATUSES, SHOWN_STATUS_SQL, type DeliveryStatus } from './delivery-statuses.ts';

export interface DeliveryRecord {
  id: string;
  event_id: string;
  event_type: string;
  destination_id: string;
  destination_name: string;
  destination_kind: string;
  destination_status: Destination['status'];
  status: DeliveryStatus;
  /** Attempts made so far (a 429 or a hold does not count: nothing failed). */
  attempts: number;
  last_error: string | null;
  /** What to do about it, when a person has to act. */
  hint: string | null;
  created_at: string;
  run_at: string;
  expires_at: string | null;
  sent_at: string | null;
  slack_channel: string | null;
  slack_ts: string | null;
}

export interface DeliveryAttemptRecord {
  id: string;
  attempt: number;
  worker: string | null;
  started_at: string;
  latency_ms: number;
  /** As sent, secrets masked. */
  request: unknown;
  http_status: number | null;
  response: unknown;
  outcome: SendOutcome['kind'];
  error: string | null;
  slack_channel: string | null;
  slack_ts: string | null;
}

export interface DeliveryDetail extends DeliveryRecord {
  message: unknown;
  destination: { id: string; name: string; kind: string; status: Destination['status']; status_reason: string | null; status_hint: string | null };
  attempt_log: DeliveryAttemptRecord[];
}

export interface DeliveryFilters {
  status?: readonly DeliveryStatus[];
  destination_id?: string;
  event_type?: string;
  /** Accepted at or after (ISO 8601). */
  since?: string;
  /** Accepted before (ISO 8601). */
  until?: string;
  limit?: number;
  cursor?: string;
}

export interface DeliveryPage {
  deliveries: DeliveryRecord[];
  next_cursor: string | null;
}

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const DELIVERY_COLUMNS = `d.id, d.event_id, e.type AS event_type, d.destination_id, t.name AS destination_name,
  t.kind AS destination_kind, t.status AS destination_status, ${SHOWN_STATUS_SQL} AS status, d.attempts, d.last_error,
  CASE WHEN ${SHOWN_STATUS_SQL} = 'held' THEN coalesce(t.status_hint, d.outcome_hint) ELSE d.outcome_hint END AS hint,
  ${iso('d.created_at')} AS created_at, ${iso('d.run_at')} AS run_at, ${iso('d.expires_at')} AS expires_at,
  ${iso('d.sent_at')} AS sent_at, d.slack_channel, d.slack_ts`;

const FROM = 'FROM deliveries d JOIN destinations t ON t.id = d.destination_id JOIN events e ON e.id = d.event_id';

/**
 * The cursor is the position of the last row of the previous page: its acceptance time in
 * microseconds and its id (the index deliveries_project_created is on exactly that pair), so
 * pages neither skip nor repeat rows however many were accepted in the same millisecond.
 */
export function encodeCursor(createdAtMicros: string, id: string): string {
  return Buffer.from(`${createdAtMicros}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { micros: string; id: string } {
  const [micros, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  if (!/^\d{1,18}$/.test(micros ?? '') || !/^[A-Za-z0-9_-]{1,100}$/.test(id ?? '')) {
    throw new ValidationError('cursor is not one this API returned: pass next_cursor from the previous page unchanged', { field: 'cursor' });
  }
  return { micros, id };
}

function checkTime(value: string | undefined, field: string): string | null {
  if (value === undefined) return null;
  if (Number.isNaN(Date.parse(value))) throw new ValidationError(`${field} must be an ISO 8601 date-time such as 2026-11-25T10:00:00Z`, { field });
  return value;
}

export async function listDeliveries(db: Queryable, projectId: string, filters: DeliveryFilters = {}): Promise<DeliveryPage> {
  const limit = filters.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ValidationError('limit must be from 1 to 200', { field: 'limit' });
  for (const s of filters.status ?? []) {
    if (!(DELIVERY_STATUSES as readonly string[]).includes(s)) {
      throw new ValidationError(`status ${JSON.stringify(s)} is not one of ${DELIVERY_STATUSES.join(', ')}`, { field: 'status' });
    }
  }
  const after = filters.cursor ? decodeCursor(filters.cursor) : undefined;
  const { rows } = await db.query<DeliveryRecord & { created_us: string }>(
    `SELECT ${DELIVERY_COLUMNS}, (extract(epoch FROM d.created_at) * 1000000)::bigint::text AS created_us
     ${FROM}
     WHERE d.project_id = $1
       AND ($2::text[] IS NULL OR ${SHOWN_STATUS_SQL} = ANY($2))
       AND ($3::text IS NULL OR d.destination_id = $3)
       AND ($4::text IS NULL OR e.type = $4)
       AND ($5::timestamptz IS NULL OR d.created_at >= $5)
       AND ($6::timestamptz IS NULL OR d.created_at < $6)
       AND ($7::bigint IS NULL OR (d.created_at, d.id) < ('epoch'::timestamptz + $7::bigint * interval '1 microsecond', $8::text))
     ORDER BY d.created_at DESC, d.id DESC
     LIMIT $9`,
    [
      projectId,
      filters.status?.length ? filters.status : null,
      filters.destination_id ?? null,
      filters.event_type ?? null,
      checkTime(filters.since, 'since'),
      checkTime(filters.until, 'until'),
      after?.micros ?? null,
      after?.id ?? null,
      limit + 1,
    ],
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    deliveries: page.map(({ created_us: _, ...d }) => d),
    next_cursor: more && last ? encodeCursor(last.created_us, last.id) : null,
  };
}

export async function getDelivery(db: Queryable, projectId: string, id: string): Promise<DeliveryDetail> {
  const { rows } = await db.query<DeliveryRecord & { message: unknown; status_reason: string | null; status_hint: string | null }>(
    `SELECT ${DELIVERY_COLUMNS}, coalesce(d.message, e.message) AS message, t.status_reason, t.status_hint
     ${FROM} WHERE d.project_id = $1 AND d.id = $2`,
    [projectId, id],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('Delivery', id);
  const { rows: attempts } = await db.query<DeliveryAttemptRecord>(
    `SELECT id, attempt, worker, ${iso('started_at')} AS started_at, latency_ms, request, http_status, response, outcome, error,
       slack_channel, slack_ts
     FROM delivery_attempts WHERE project_id = $1 AND delivery_id = $2 ORDER BY started_at, id`,
    [projectId, id],
  );
  const { message, status_reason, status_hint, ...record } = row;
  return {
    ...record,
    message,
    destination: {
      id: record.destination_id,
      name: record.destination_name,
      kind: record.destination_kind,
      status: record.destination_status,
      status_reason,
      status_hint,
    },
    attempt_log: attempts,
  };
}

/** The listing record of one delivery (what the operations answer with). */
export async function getDeliveryRecord(db: Queryable, projectId: string, id: string): Promise<DeliveryRecord> {
  const { rows } = await db.query<DeliveryRecord>(`SELECT ${DELIVERY_COLUMNS} ${FROM} WHERE d.project_id = $1 AND d.id = $2`, [projectId, id]);
  if (!rows[0]) throw new NotFoundError('Delivery', id);
  return rows[0];
}
