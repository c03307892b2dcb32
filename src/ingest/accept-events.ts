/**
 * Ingest: turns accepted events into rendered, durable deliveries. For each event it finds the
 * event type, routes it to the project's destinations (subscriptions + condition), renders the
 * message once, and writes the event row and all its delivery rows in ONE transaction — once
 * the API has answered 202, nothing is lost. An idempotency key makes a repeated call return the
 * first result and create nothing.
 */
import type { Database, Queryable } from '../db/database.ts';
import { SwitchboardError, ValidationError } from '../errors.ts';
import { findEventTypes, type EventType } from '../event-types/event-type-store.ts';
import { newId } from '../ids.ts';
import { renderMessage, type RenderedMessage } from '../templates/render-message.ts';
import { MAX_DELIVER_AHEAD_MS, type EventInput } from './event-input.ts';
import { loadRoutes, routeEvent } from './route-event.ts';
import { getEventsWithDeliveries, type EventWithDeliveries } from '../events/event-queries.ts';

export type AcceptResult =
  | { ok: true; replayed: boolean; event: EventWithDeliveries }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

interface Prepared {
  index: number;
  id: string;
  input: EventInput;
  severity: string;
  ttl: number | null;
  message?: RenderedMessage;
  destinationIds: string[];
}

function reject(error: unknown): AcceptResult {
  if (error instanceof SwitchboardError) return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
  throw error;
}

function prepare(index: number, input: EventInput, type: EventType | undefined, projectName: string, now: number): Prepared {
  if (!type) {
    throw new ValidationError(
      `Unknown event type ${JSON.stringify(input.type)}: use a built-in type (GET /v1/event-types) or define it with PUT /v1/event-types/${input.type}`,
      { field: 'type' },
      'unknown_event_type',
    );
  }
  if (input.deliver_at && Date.parse(input.deliver_at) - now > MAX_DELIVER_AHEAD_MS) {
    throw new ValidationError('deliver_at must be at most a year ahead', { field: 'deliver_at' });
  }
  const id = newId('evt', now);
  const severity = input.severity ?? type.default_severity;
  const occurredAt = input.occurred_at ?? new Date(now).toISOString();
  const message = renderMessage(type.template, {
    event: { id, type: input.type, severity, subject: input.subject ?? null, occurred_at: occurredAt, key: input.key ?? null },
    data: input.data,
    project: { name: projectName },
  });
  const ttl = input.ttl === undefined ? type.ttl_seconds : input.ttl;
  return { index, id, input: { ...input, occurred_at: occurredAt }, severity, ttl, message, destinationIds: [] };
}

export interface AcceptOptions {
  now?: number;
}

export async function acceptEvents(db: Database, projectId: string, inputs: readonly EventInput[], options: AcceptOptions = {}): Promise<AcceptResult[]> {
  const now = options.now ?? Date.now();
  const [types, routes, project] = await Promise.all([
    findEventTypes(db, projectId, inputs.map((i) => i.type)),
    loadRoutes(db, projectId),
    db.query<{ name: string }>('SELECT name FROM projects WHERE id = $1', [projectId]),
  ]);
  const projectName = project.rows[0]?.name ?? '';

  const results: AcceptResult[] = new Array(inputs.length);
  const prepared: Prepared[] = [];
  const firstByKey = new Map<string, number>(); // a key repeated within one batch is a replay of its first use
  const sameAs = new Map<number, number>();
  inputs.forEach((input, index) => {
    if (input.key !== undefined) {
      const first = firstByKey.get(input.key);
      if (first !== undefined) {
        sameAs.set(index, first);
        return;
      }
      firstByKey.set(input.key, index);
    }
    try {
      const p = prepare(index, input, types.get(input.type), projectName, now);
      p.destinationIds = routeEvent(routes, { type: input.type, severity: p.severity, subject: input.subject, key: input.key, data: input.data });
      prepared.push(p);
    } catch (error) {
      results[index] = reject(error);
    }
  });

  const written = await db.transaction((tx) => writeEvents(tx, projectId, prepared));
  const eventIds = prepared.map((p) => written.idFor.get(p.index)!);
  const events = await getEventsWithDeliveries(db, projectId, eventIds);
  for (const p of prepared) {
    const id = written.idFor.get(p.index)!;
    results[p.index] = { ok: true, replayed: id !== p.id, event: events.get(id)! };
  }
  for (const [index, first] of sameAs) {
    const r = results[first];
    results[index] = r.ok ? { ok: true, replayed: true, event: r.event } : r;
  }
  return results;
}

/** Writes new events and their deliveries; returns the event id each prepared input ended up with. */
async function writeEvents(tx: Queryable, projectId: string, prepared: Prepared[]): Promise<{ idFor: Map<number, string> }> {
  const idFor = new Map<number, string>();
  if (prepared.length === 0) return { idFor };

  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO events (id, project_id, type, idempotency_key, subject, severity, data, occurred_at, deliver_at, expires_at)
     SELECT e.id, $1, e.type, e.key, e.subject, e.severity, e.data::jsonb, e.occurred_at::timestamptz, e.deliver_at::timestamptz,
            CASE WHEN e.ttl IS NULL THEN NULL ELSE coalesce(e.deliver_at::timestamptz, now()) + e.ttl * interval '1 second' END
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[])
       AS e(id, type, key, subject, severity, data, occurred_at, deliver_at, ttl)
     ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      projectId,
      prepared.map((p) => p.id),
      prepared.map((p) => p.input.type),
      prepared.map((p) => p.input.key ?? null),
      prepared.map((p) => p.input.subject ?? null),
      prepared.map((p) => p.severity),
      prepared.map((p) => JSON.stringify(p.input.data)),
      prepared.map((p) => p.input.occurred_at!),
      prepared.map((p) => p.input.deliver_at ?? null),
      prepared.map((p) => p.ttl),
    ],
  );
  const fresh = new Set(inserted.rows.map((r) => r.id));
  const replayKeys: string[] = [];
  for (const p of prepared) {
    if (fresh.has(p.id)) idFor.set(p.index, p.id);
    else replayKeys.push(p.input.key!);
  }
  if (replayKeys.length) {
    const { rows } = await tx.query<{ id: string; idempotency_key: string }>(
      'SELECT id, idempotency_key FROM events WHERE project_id = $1 AND idempotency_key = ANY($2)',
      [projectId, replayKeys],
    );
    const byKey = new Map(rows.map((r) => [r.idempotency_key, r.id]));
    for (const p of prepared) if (!fresh.has(p.id)) idFor.set(p.index, byKey.get(p.input.key!)!);
  }

  const newEvents = prepared.filter((p) => fresh.has(p.id) && p.destinationIds.length > 0);
  if (newEvents.length) await writeDeliveries(tx, projectId, newEvents);
  return { idFor };
}

async function writeDeliveries(tx: Queryable, projectId: string, events: Prepared[]): Promise<void> {
  const perDestination = new Map<string, number>();
  for (const e of events) for (const d of e.destinationIds) perDestination.set(d, (perDestination.get(d) ?? 0) + 1);
  const destinationIds = [...perDestination.keys()].sort(); // one lock order for every writer: no deadlocks
  // Taking the next numbers under the destination rows' locks hands them out in commit order, so
  // the delivery engine never sees a lower number appear after a higher one was sent.
  const { rows } = await tx.query<{ id: string; last_seq: number }>(
    `UPDATE destinations d SET last_seq = d.last_seq + n.count
     FROM (SELECT * FROM unnest($1::text[], $2::int[]) AS x(id, count)) n
     WHERE d.id = n.id AND d.id IN (SELECT id FROM destinations WHERE id = ANY($1) ORDER BY id FOR UPDATE)
     RETURNING d.id, d.last_seq`,
    [destinationIds, destinationIds.map((id) => perDestination.get(id)!)],
  );
  const nextSeq = new Map(rows.map((r) => [r.id, Number(r.last_seq) - perDestination.get(r.id)! + 1]));

  const cols = { id: [] as string[], event: [] as string[], destination: [] as string[], seq: [] as number[], message: [] as string[], runAt: [] as (string | null)[], ttl: [] as (number | null)[] };
  for (const e of events) {
    const message = JSON.stringify(e.message);
    for (const d of e.destinationIds) {
      const seq = nextSeq.get(d);
      if (seq === undefined) continue; // destination deleted meanwhile
      nextSeq.set(d, seq + 1);
      cols.id.push(newId('dlv'));
      cols.event.push(e.id);
      cols.destination.push(d);
      cols.seq.push(seq);
      cols.message.push(message);
      cols.runAt.push(e.input.deliver_at ?? null);
      cols.ttl.push(e.ttl);
    }
  }
  await tx.query(
    `INSERT INTO deliveries (id, project_id, event_id, destination_id, seq, message, run_at, expires_at)
     SELECT x.id, $1, x.event_id, x.destination_id, x.seq, x.message::jsonb, coalesce(x.run_at::timestamptz, now()),
            CASE WHEN x.ttl IS NULL THEN NULL ELSE coalesce(x.run_at::timestamptz, now()) + x.ttl * interval '1 second' END
     FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::int[])
       AS x(id, event_id, destination_id, seq, message, run_at, ttl)`,
    [projectId, cols.id, cols.event, cols.destination, cols.seq, cols.message, cols.runAt, cols.ttl],
  );
}
