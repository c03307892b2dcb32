/**
 * Ingest: turns accepted events into rendered, durable deliveries. For each event it finds the
 * event type, routes it to the project's destinations (subscriptions + condition), renders the
 * message once, and writes the event rows and all their delivery rows in ONE statement (hence one
 * transaction) — once the API has answered 202, nothing is lost. An idempotency key makes a
 * repeated call return the first result and create nothing.
 */
import { requestRenderBudget, type RenderBudget } from '../templates/render-budget.ts';
import type { Queryable } from '../db/database.ts';
import { isRefusedStatement } from '../db/database-errors.ts';
import { SwitchboardError, ValidationError } from '../errors.ts';
import type { SubjectAction } from '../event-types/event-type-definition.ts';
import type { EventType } from '../event-types/event-type-store.ts';
import { validateData, type DataWarning } from '../event-types/data-schema.ts';
import { getEventsWithDeliveries, type EventWithDeliveries } from '../events/event-queries.ts';
import { newId } from '../ids.ts';
import { renderMessage, type RenderedMessage } from '../templates/render-message.ts';
import { MAX_DELIVER_AHEAD_MS, type EventInput } from './event-input.ts';
import type { ProjectCatalog, ProjectSnapshot } from './project-catalog.ts';
import { routeEvent } from './route-event.ts';
import { canSlackSchedule } from '../slack/schedule-rules.ts';

export type AcceptResult =
  | { ok: true; replayed: boolean; event: EventWithDeliveries; warnings?: DataWarning[] }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

interface Prepared {
  index: number;
  projectId: string;
  id: string;
  input: EventInput & { occurred_at: string };
  severity: string;
  ttl: number | null;
  message: RenderedMessage;
  /** What the subject's root becomes, when a destination updates it. */
  updateMessage: RenderedMessage | null;
  deliveries: { id: string; destinationId: string; subjectAction: SubjectAction | null; replyBroadcast: boolean; claimNow: boolean }[];
  /** Fields the event type's data schema does not declare but allows (the data was checked against it). */
  warnings: DataWarning[];
}

function reject(error: unknown): AcceptResult {
  if (error instanceof SwitchboardError) return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
  throw error;
}

function prepare(
  index: number,
  projectId: string,
  input: EventInput,
  type: EventType | undefined,
  project: ProjectSnapshot,
  now: number,
  budget: RenderBudget,
  subject: SubjectMemory | undefined,
): Prepared {
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
  // The type's data contract: a missing or mistyped field refuses the event (422 data_invalid).
  const warnings = type.data_schema ? validateData(input.type, type.data_schema, input.data) : [];
  const id = newId('evt', now);
  const severity = input.severity ?? type.default_severity;
  const occurredAt = input.occurred_at ?? new Date(now).toISOString();
  const deliverAtMs = input.deliver_at ? Date.parse(input.deliver_at) : null;
  const context = {
    event: { id, type: input.type, severity, subject: input.subject ?? null, occurred_at: occurredAt, key: input.key ?? null },
    // A later event about a subject sees what the earlier ones said, overlaid by its own data.
    data: subject?.root ? { ...subject.data, ...input.data } : input.data,
    project: { name: project.name },
    root: subject?.root ?? null,
  };
  const message = renderMessage(type.template, context, budget.child());
  const destinationIds = routeEvent(project.routes, { type: input.type, severity, subject: input.subject, key: input.key, data: input.data });
  const deliveries = destinationIds.map((destinationId) => {
    // A destination's own policy for this type wins over the event type's; no subject, no policy.
    const policy = input.subject ? project.destinations.get(destinationId)?.subject_policies?.[input.type] ?? type.subject_policy : null;
    return {
      id: newId('dlv', now),
      destinationId,
      subjectAction: input.subject ? policy?.action ?? 'new' : null,
      replyBroadcast: policy?.replyBroadcast ?? false,
      // A later delivery that Slack can schedule (chat.scheduleMessage) is handed over at once;
      // anything else waits in our queue until deliver_at.
      claimNow: Boolean(deliverAtMs && project.destinations.get(destinationId)?.kind === 'channel' && canSlackSchedule(deliverAtMs, now)),
      policy,
    };
  });
  const updatePolicy = deliveries.find((d) => d.subjectAction === 'update' || d.subjectAction === 'update_and_thread')?.policy;
  const updateMessage = updatePolicy?.updateTemplate ? renderMessage(updatePolicy.updateTemplate, context, budget.child()) : null;
  return {
    index,
    projectId,
    id,
    input: { ...input, occurred_at: occurredAt },
    severity,
    ttl: input.ttl === undefined ? type.ttl_seconds : input.ttl,
    message,
    updateMessage,
    deliveries: deliveries.map(({ policy: _policy, ...d }) => d),
    warnings,
  };
}

export interface AcceptOptions {
  now?: number;
}

/** One API call's events, for one project. */
export interface IngestRequest {
  projectId: string;
  inputs: readonly EventInput[];
  /** When the call arrived (ids, deliver_at limits); the write's own time by default. */
  now?: number;
}

/** Errors of write statements the database refused (rolled back: nothing of them was written). */
const refusedWrites = new WeakSet<object>();

/** Whether acceptEvents failed because the database refused its write, so nothing was written. */
export function isRefusedWrite(error: unknown): boolean {
  return typeof error === 'object' && error !== null && refusedWrites.has(error);
}

/**
 * Accepts the events of one or more requests, of any projects, with ONE write: the group commit
 * (ingest-batcher.ts) hands in every request that arrived while earlier writes were in flight.
 * Answers each request's results in its own order.
 */
export async function acceptEvents(
  db: Queryable,
  catalog: ProjectCatalog,
  requests: readonly IngestRequest[],
  options: AcceptOptions = {},
): Promise<AcceptResult[][]> {
  const now = options.now ?? Date.now();
  // Each request renders under one budget for all its events (a batch cannot hold the event loop
  // for 500 messages' worth), and each message under its own within it (render-budget.ts).
  const items = requests.flatMap((r) => {
    const budget = requestRenderBudget();
    return r.inputs.map((input) => ({ projectId: r.projectId, input, at: r.now ?? now, budget }));
  });
  const projects = new Map<string, ProjectSnapshot>();
  for (const id of new Set(requests.map((r) => r.projectId))) projects.set(id, await catalog.get(id, now));
  const types = new Map<string, EventType | undefined>();
  for (const { projectId, input } of items) {
    const name = `${projectId}\0${input.type}`;
    if (!types.has(name)) types.set(name, await projects.get(projectId)!.eventType(input.type));
  }

  const subjects = await loadSubjects(db, items);

  const results: AcceptResult[] = new Array(items.length);
  const prepared: Prepared[] = [];
  const firstByKey = new Map<string, number>(); // a key used again in the same write is a replay of its first use
  const sameAs = new Map<number, number>();
  items.forEach(({ projectId, input, at, budget }, index) => {
    if (input.key !== undefined) {
      const first = firstByKey.get(`${projectId}\0${input.key}`);
      if (first !== undefined) {
        sameAs.set(index, first);
        return;
      }
      firstByKey.set(`${projectId}\0${input.key}`, index);
    }
    try {
      const memory = input.subject ? subjects.get(`${projectId}\0${input.subject}`) : undefined;
      const p = prepare(index, projectId, input, types.get(`${projectId}\0${input.type}`), projects.get(projectId)!, at, budget, memory);
      prepared.push(p);
      // A later event of the same write about the same subject sees this one too.
      if (memory) remember(memory, { type: input.type, data: input.data, occurred_at: p.input.occurred_at });
    } catch (error) {
      results[index] = reject(error);
    }
  });

  let written: Map<string, WrittenRow>;
  try {
    written = await writeEvents(db, prepared);
  } catch (error) {
    if (isRefusedStatement(error)) refusedWrites.add(error as object);
    throw error;
  }
  const existing = await findReplays(db, prepared.filter((p) => !written.has(p.id)));
  for (const p of prepared) {
    const row = written.get(p.id);
    const warnings = p.warnings.length ? { warnings: p.warnings } : {};
    results[p.index] = row
      ? { ok: true, replayed: false, event: describe(p, row, projects.get(p.projectId)!), ...warnings }
      : { ok: true, replayed: true, event: existing.get(`${p.projectId}\0${p.input.key}`)!, ...warnings };
  }
  for (const [index, first] of sameAs) {
    const r = results[first];
    results[index] = r.ok ? { ok: true, replayed: true, event: r.event } : r;
  }
  let offset = 0;
  return requests.map((r) => results.slice(offset, (offset += r.inputs.length)));
}

/** What a subject's earlier events said: its first event, and their data overlaid in order. */
interface SubjectMemory {
  root: { type: string; data: Record<string, unknown>; occurred_at: string } | null;
  data: Record<string, unknown>;
}

function remember(memory: SubjectMemory, event: { type: string; data: Record<string, unknown>; occurred_at: string }): void {
  memory.root ??= event;
  memory.data = { ...memory.data, ...event.data };
}

/** How many of a subject's events, besides its first, are overlaid (the latest ones). */
const SUBJECT_EVENTS_READ = 100;

/**
 * One indexed read (events_project_subject) for every subject of this write: each subject's first
 * event and its latest ones, oldest first. Events without a subject read nothing.
 */
async function loadSubjects(db: Queryable, items: readonly { projectId: string; input: EventInput }[]): Promise<Map<string, SubjectMemory>> {
  const memories = new Map<string, SubjectMemory>();
  const wanted: { project_id: string; subject: string }[] = [];
  for (const { projectId, input } of items) {
    if (!input.subject || memories.has(`${projectId}\0${input.subject}`)) continue;
    memories.set(`${projectId}\0${input.subject}`, { root: null, data: {} });
    wanted.push({ project_id: projectId, subject: input.subject });
  }
  if (wanted.length === 0) return memories;
  const iso = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
  const { rows } = await db.query<{ project_id: string; subject: string; type: string; data: Record<string, unknown>; occurred_at: string }>(
    `SELECT s.project_id, s.subject, e.type, e.data, to_char(e.occurred_at AT TIME ZONE 'UTC', ${iso}) AS occurred_at
     FROM jsonb_to_recordset($1::jsonb) AS s(project_id text, subject text)
     JOIN LATERAL (
       (SELECT id, type, data, occurred_at FROM events WHERE project_id = s.project_id AND subject = s.subject ORDER BY id LIMIT 1)
       UNION
       (SELECT id, type, data, occurred_at FROM events WHERE project_id = s.project_id AND subject = s.subject ORDER BY id DESC LIMIT ${SUBJECT_EVENTS_READ})
     ) e ON true
     ORDER BY s.project_id, s.subject, e.id`,
    [JSON.stringify(wanted)],
    { prepare: 'ingest_read_subjects' },
  );
  for (const r of rows) remember(memories.get(`${r.project_id}\0${r.subject}`)!, { type: r.type, data: r.data ?? {}, occurred_at: r.occurred_at });
  return memories;
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
async function writeEvents(db: Queryable, prepared: Prepared[]): Promise<Map<string, WrittenRow>> {
  if (prepared.length === 0) return new Map();
  // Rows travel as one JSON document per table: PostgreSQL parses it in C, where array
  // parameters would be escaped element by element in JavaScript.
  const events = prepared.map((p) => ({
    id: p.id,
    project_id: p.projectId,
    type: p.input.type,
    key: p.input.key ?? null,
    subject: p.input.subject ?? null,
    severity: p.severity,
    data: p.input.data,
    occurred_at: p.input.occurred_at,
    deliver_at: p.input.deliver_at ?? null,
    ttl: p.ttl,
    message: p.message,
    update_message: p.updateMessage,
  }));
  const deliveries = prepared.flatMap((p) =>
    p.deliveries.map((x) => ({
      id: x.id,
      project_id: p.projectId,
      event_id: p.id,
      destination_id: x.destinationId,
      subject_action: x.subjectAction,
      reply_broadcast: x.replyBroadcast,
      claim_now: x.claimNow,
    })),
  );
  const iso = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
  const { rows } = await db.query<WrittenRow & { id: string }>(
    `WITH ev AS (
       INSERT INTO events (id, project_id, type, idempotency_key, subject, severity, data, message, update_message, occurred_at, deliver_at, expires_at)
       SELECT e.id, e.project_id, e.type, e.key, e.subject, e.severity, e.data, e.message, e.update_message, e.occurred_at, e.deliver_at,
              CASE WHEN e.ttl IS NULL THEN NULL ELSE coalesce(e.deliver_at, now()) + e.ttl * interval '1 second' END
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb)
         AS (id text, project_id text, type text, key text, subject text, severity text, data jsonb, message jsonb, update_message jsonb,
             occurred_at timestamptz, deliver_at timestamptz, ttl int))
         WITH ORDINALITY AS e(id, project_id, type, key, subject, severity, data, message, update_message, occurred_at, deliver_at, ttl, ord)
       ORDER BY e.ord
       ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id, accepted_at, deliver_at, expires_at
     ), dl AS (
       INSERT INTO deliveries (id, project_id, event_id, destination_id, run_at, deliver_at, expires_at, subject_action, reply_broadcast)
       SELECT x.id, x.project_id, x.event_id, x.destination_id, CASE WHEN x.claim_now THEN ev.accepted_at ELSE coalesce(ev.deliver_at, ev.accepted_at) END,
              ev.deliver_at, ev.expires_at, x.subject_action, x.reply_broadcast
       FROM ROWS FROM (jsonb_to_recordset($2::jsonb)
         AS (id text, project_id text, event_id text, destination_id text, subject_action text, reply_broadcast boolean, claim_now boolean))
         WITH ORDINALITY AS x(id, project_id, event_id, destination_id, subject_action, reply_broadcast, claim_now, ord)
       JOIN ev ON ev.id = x.event_id
       ORDER BY x.ord
       RETURNING 1
     )
     SELECT id, to_char(accepted_at AT TIME ZONE 'UTC', ${iso}) AS accepted_at,
            to_char(expires_at AT TIME ZONE 'UTC', ${iso}) AS expires_at, (SELECT count(*) FROM dl) AS n
     FROM ev`,
    [JSON.stringify(events), JSON.stringify(deliveries)],
    { prepare: 'ingest_write_events' },
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

/** The first results of idempotent replays, by project and key. */
async function findReplays(db: Queryable, replayed: Prepared[]): Promise<Map<string, EventWithDeliveries>> {
  const found = new Map<string, EventWithDeliveries>();
  const keysByProject = new Map<string, string[]>();
  for (const p of replayed) keysByProject.set(p.projectId, [...(keysByProject.get(p.projectId) ?? []), p.input.key!]);
  for (const [projectId, keys] of keysByProject) {
    const { rows } = await db.query<{ id: string; idempotency_key: string }>(
      'SELECT id, idempotency_key FROM events WHERE project_id = $1 AND idempotency_key = ANY($2)',
      [projectId, keys],
    );
    const events = await getEventsWithDeliveries(db, projectId, rows.map((r) => r.id));
    for (const r of rows) found.set(`${projectId}\0${r.idempotency_key}`, events.get(r.id)!);
  }
  return found;
}
