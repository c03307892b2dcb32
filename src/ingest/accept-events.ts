/**
 * Ingest: turns accepted events into rendered, durable deliveries. For each event it finds the
 * event type, routes it to the project's destinations (subscriptions + condition), renders the
 * message once, and writes the event rows and all their delivery rows in ONE statement (hence one
 * transaction) — once the API has answered 202, nothing is lost. An idempotency key makes a
 * repeated call return the first result and create nothing.
 */
import type { Queryable } from '../db/database.ts';
import { SwitchboardError, ValidationError } from '../errors.ts';
import type { EventType } from '../event-types/event-type-store.ts';
import { getEventsWithDeliveries, type EventWithDeliveries } from '../events/event-queries.ts';
import { newId } from '../ids.ts';
import { renderMessage, type RenderedMessage } from '../templates/render-message.ts';
import { MAX_DELIVER_AHEAD_MS, type EventInput } from './event-input.ts';
import type { ProjectCatalog, ProjectSnapshot } from './project-catalog.ts';
import { routeEvent } from './route-event.ts';

export type AcceptResult =
  | { ok: true; replayed: boolean; event: EventWithDeliveries }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

interface Prepared {
  index: number;
  id: string;
  input: EventInput & { occurred_at: string };
  severity: string;
  ttl: number | null;
  message: RenderedMessage;
  deliveries: { id: string; destinationId: string }[];
}

function reject(error: unknown): AcceptResult {
  if (error instanceof SwitchboardError) return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
  throw error;
}

function prepare(index: number, input: EventInput, type: EventType | undefined, project: ProjectSnapshot, now: number): Prepared {
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
    project: { name: project.name },
  });
  const destinationIds = routeEvent(project.routes, { type: input.type, severity, subject: input.subject, key: input.key, data: input.data });
  return {
    index,
    id,
    input: { ...input, occurred_at: occurredAt },
    severity,
    ttl: input.ttl === undefined ? type.ttl_seconds : input.ttl,
    message,
    deliveries: destinationIds.map((destinationId) => ({ id: newId('dlv', now), destinationId })),
  };
}

export interface AcceptOptions {
  now?: number;
}

export async function acceptEvents(
  db: Queryable,
  catalog: ProjectCatalog,
  projectId: string,
  inputs: readonly EventInput[],
  options: AcceptOptions = {},
): Promise<AcceptResult[]> {
  const now = options.now ?? Date.now();
  const project = await catalog.get(projectId, now);
  const types = new Map<string, EventType | undefined>();
  for (const name of new Set(inputs.map((i) => i.type))) types.set(name, await project.eventType(name));

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
      prepared.push(prepare(index, input, types.get(input.type), project, now));
    } catch (error) {
      results[index] = reject(error);
    }
  });

  const written = await writeEvents(db, projectId, prepared);
  const replayed = prepared.filter((p) => !written.has(p.id));
  const existing = replayed.length ? await findByKeys(db, projectId, replayed.map((p) => p.input.key!)) : new Map<string, EventWithDeliveries>();
  for (const p of prepared) {
    const row = written.get(p.id);
    results[p.index] = row
      ? { ok: true, replayed: false, event: describe(p, row, project) }
      : { ok: true, replayed: true, event: existing.get(p.input.key!)! };
  }
  for (const [index, first] of sameAs) {
    const r = results[first];
    results[index] = r.ok ? { ok: true, replayed: true, event: r.event } : r;
  }
  return results;
}

interface WrittenRow {
  accepted_at: string;
  expires_at: string | null;
}

/**
 * One statement inserts the events and, for those that were new (not idempotent replays), their
 * deliveries. Delivery `seq` comes from the table's sequence in list order, so the deliveries of
 * one request keep the order of its events.
 */
async function writeEvents(db: Queryable, projectId: string, prepared: Prepared[]): Promise<Map<string, WrittenRow>> {
  if (prepared.length === 0) return new Map();
  const d = { id: [] as string[], event: [] as string[], destination: [] as string[], message: [] as string[] };
  for (const p of prepared) {
    const message = JSON.stringify(p.message);
    for (const x of p.deliveries) {
      d.id.push(x.id);
      d.event.push(p.id);
      d.destination.push(x.destinationId);
      d.message.push(message);
    }
  }
  const iso = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
  const { rows } = await db.query<WrittenRow & { id: string }>(
    `WITH input AS (
       SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[])
         WITH ORDINALITY AS e(id, type, key, subject, severity, data, occurred_at, deliver_at, ttl, ord)
     ), ev AS (
       INSERT INTO events (id, project_id, type, idempotency_key, subject, severity, data, occurred_at, deliver_at, expires_at)
       SELECT id, $1, type, key, subject, severity, data::jsonb, occurred_at::timestamptz, deliver_at::timestamptz,
              CASE WHEN ttl IS NULL THEN NULL ELSE coalesce(deliver_at::timestamptz, now()) + ttl * interval '1 second' END
       FROM input ORDER BY ord
       ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id, accepted_at, deliver_at, expires_at
     ), dl AS (
       INSERT INTO deliveries (id, project_id, event_id, destination_id, message, run_at, expires_at)
       SELECT x.id, $1, x.event_id, x.destination_id, x.message::jsonb, coalesce(ev.deliver_at, ev.accepted_at), ev.expires_at
       FROM unnest($11::text[], $12::text[], $13::text[], $14::text[]) WITH ORDINALITY AS x(id, event_id, destination_id, message, ord)
       JOIN ev ON ev.id = x.event_id
       ORDER BY x.ord
       RETURNING 1
     )
     SELECT id, to_char(accepted_at AT TIME ZONE 'UTC', ${iso}) AS accepted_at,
            to_char(expires_at AT TIME ZONE 'UTC', ${iso}) AS expires_at, (SELECT count(*) FROM dl) AS n
     FROM ev`,
    [
      projectId,
      prepared.map((p) => p.id),
      prepared.map((p) => p.input.type),
      prepared.map((p) => p.input.key ?? null),
      prepared.map((p) => p.input.subject ?? null),
      prepared.map((p) => p.severity),
      prepared.map((p) => JSON.stringify(p.input.data)),
      prepared.map((p) => p.input.occurred_at),
      prepared.map((p) => p.input.deliver_at ?? null),
      prepared.map((p) => p.ttl),
      d.id,
      d.event,
      d.destination,
      d.message,
    ],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

function iso(value: string): string {
  return new Date(value).toISOString();
}

/** The 202 answer for a new event, built from what was written (no second read). */
function describe(p: Prepared, row: WrittenRow, project: ProjectSnapshot): EventWithDeliveries {
  const deliverAt = p.input.deliver_at ? iso(p.input.deliver_at) : null;
  return {
    id: p.id,
    type: p.input.type,
    key: p.input.key ?? null,
    subject: p.input.subject ?? null,
    severity: p.severity,
    data: p.input.data,
    occurred_at: iso(p.input.occurred_at),
    accepted_at: row.accepted_at,
    deliver_at: deliverAt,
    expires_at: row.expires_at,
    deliveries: p.deliveries.map((x) => {
      const dest = project.destinations.get(x.destinationId);
      return {
        id: x.id,
        destination_id: x.destinationId,
        destination_name: dest?.name ?? '',
        destination_kind: dest?.kind ?? '',
        status: dest?.status === 'needs_attention' ? 'held' : 'pending',
        attempts: 0,
        last_error: null,
        run_at: deliverAt ?? row.accepted_at,
        sent_at: null,
      };
    }),
  };
}

async function findByKeys(db: Queryable, projectId: string, keys: string[]): Promise<Map<string, EventWithDeliveries>> {
  const { rows } = await db.query<{ id: string; idempotency_key: string }>(
    'SELECT id, idempotency_key FROM events WHERE project_id = $1 AND idempotency_key = ANY($2)',
    [projectId, keys],
  );
  const events = await getEventsWithDeliveries(db, projectId, rows.map((r) => r.id));
  return new Map(rows.map((r) => [r.idempotency_key, events.get(r.id)!]));
}
