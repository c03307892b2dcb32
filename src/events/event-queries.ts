/**
 * Reading events back: one event with the deliveries planned for it (what POST /v1/events
 * answers, and GET /v1/events/{id}), and a project's events newest first with a cursor.
 */
import type { Queryable } from '../db/database.ts';
import { NotFoundError, ValidationError } from '../errors.ts';

export interface DeliverySummary {
  id: string;
  destination_id: string;
  destination_name: string;
  destination_kind: string;
  /** pending, sending, sent, failed, dead, expired, cancelled — or held while the destination needs attention. */
  status: string;
  attempts: number;
  last_error: string | null;
  run_at: string;
  sent_at: string | null;
}

export interface EventRecord {
  id: string;
  type: string;
  key: string | null;
  subject: string | null;
  severity: string;
  data: Record<string, unknown>;
  occurred_at: string;
  accepted_at: string;
  deliver_at: string | null;
  expires_at: string | null;
}

export interface EventWithDeliveries extends EventRecord {
  deliveries: DeliverySummary[];
}

const EVENT_COLUMNS = `id, type, idempotency_key AS key, subject, severity, data,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
  to_char(accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS accepted_at,
  to_char(deliver_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS deliver_at,
  to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS expires_at`;

export async function getEventsWithDeliveries(db: Queryable, projectId: string, ids: readonly string[]): Promise<Map<string, EventWithDeliveries>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, EventWithDeliveries>();
  if (unique.length === 0) return out;
  const events = await db.query<EventRecord>(`SELECT ${EVENT_COLUMNS} FROM events WHERE project_id = $1 AND id = ANY($2)`, [projectId, unique]);
  for (const e of events.rows) out.set(e.id, { ...e, deliveries: [] });
  const deliveries = await db.query<DeliverySummary & { event_id: string }>(
    `SELECT d.event_id, d.id, d.destination_id, t.name AS destination_name, t.kind AS destination_kind,
       CASE WHEN d.status = 'pending' AND t.status = 'needs_attention' THEN 'held' ELSE d.status END AS status,
       d.attempts, d.last_error,
       to_char(d.run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS run_at,
       to_char(d.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS sent_at
     FROM deliveries d JOIN destinations t ON t.id = d.destination_id
     WHERE d.project_id = $1 AND d.event_id = ANY($2) ORDER BY d.destination_id, d.seq`,
    [projectId, unique],
  );
  for (const { event_id, ...d } of deliveries.rows) out.get(event_id)?.deliveries.push(d);
  return out;
}

export async function getEvent(db: Queryable, projectId: string, id: string): Promise<EventWithDeliveries> {
  const e = (await getEventsWithDeliveries(db, projectId, [id])).get(id);
  if (!e) throw new NotFoundError('Event', id);
  return e;
}

export interface EventPage {
  events: EventRecord[];
  next_cursor: string | null;
}

/** Newest first. The cursor is the last id of the previous page (ids sort by creation time). */
export async function listEvents(
  db: Queryable,
  projectId: string,
  options: { limit?: number; cursor?: string; type?: string; subject?: string },
): Promise<EventPage> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ValidationError('limit must be from 1 to 200', { field: 'limit' });
  const { rows } = await db.query<EventRecord>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE project_id = $1 AND ($2::text IS NULL OR id < $2) AND ($3::text IS NULL OR type = $3) AND ($4::text IS NULL OR subject = $4)
     ORDER BY id DESC LIMIT $5`,
    [projectId, options.cursor ?? null, options.type ?? null, options.subject ?? null, limit + 1],
  );
  const more = rows.length > limit;
  const events = rows.slice(0, limit);
  return { events, next_cursor: more ? events[events.length - 1].id : null };
}
