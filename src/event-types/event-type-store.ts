/**
 * The event types a project can send: the built-in packs plus the project's own rows in
 * event_types, where a row with a built-in's name overrides it (e.g. a custom template).
 */
import type { Queryable } from '../db/database.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { checkTemplate } from '../templates/render-message.ts';
import type { MessageTemplate } from '../templates/message-template.ts';
import { BUILT_IN_EVENT_TYPES, findBuiltInEventType } from './built-in-event-types.ts';
import { checkEventTypeName } from './event-type-name.ts';
import { checkSubjectPolicy } from './subject-policy.ts';
import { checkDataSchema, sampleFromSchema, validateData, type DataSchema } from './data-schema.ts';
import type { SubjectPolicy } from './event-type-definition.ts';
import { isSeverity, SEVERITIES, type Severity } from './severity.ts';

export interface EventType {
  name: string;
  description: string;
  default_severity: Severity;
  /** Seconds a message stays worth sending; null = never expires. */
  ttl_seconds: number | null;
  template: MessageTemplate;
  sample_data: Record<string, unknown>;
  /** built_in: shipped with Switchboard; override: a built-in this project changed; custom: the project's own. */
  source: 'built_in' | 'override' | 'custom';
  pack: string | null;
  /** What later events about the same subject do (null: post a new message). */
  subject_policy: SubjectPolicy | null;
  /** The data contract: a JSON Schema for `data`, checked at ingest (null: any data). */
  data_schema: DataSchema | null;
}

/** A project's own event type as stored (where it comes from is known by where it was found). */
type Row = Omit<EventType, 'source' | 'pack'>;

function fromBuiltIn(name: string): EventType | undefined {
  const b = findBuiltInEventType(name);
  return b && {
    name: b.name,
    description: b.description,
    default_severity: b.defaultSeverity,
    ttl_seconds: b.ttlSeconds,
    template: b.template,
    sample_data: b.sampleData,
    source: 'built_in',
    pack: b.pack,
    subject_policy: b.subjectPolicy ?? null,
    data_schema: b.dataSchema,
  };
}

function fromRow(row: Row): EventType {
  const builtIn = findBuiltInEventType(row.name);
  // No schema of its own: an override keeps the built-in's contract.
  const dataSchema = row.data_schema ?? builtIn?.dataSchema ?? null;
  return { ...row, subject_policy: row.subject_policy ?? null, data_schema: dataSchema, source: builtIn ? 'override' : 'custom', pack: builtIn?.pack ?? null };
}

const COLUMNS = 'name, description, default_severity, ttl_seconds, template, sample_data, subject_policy, data_schema';

export async function listEventTypes(db: Queryable, projectId: string): Promise<EventType[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM event_types WHERE project_id = $1`, [projectId]);
  const own = new Map(rows.map((r) => [r.name, fromRow(r)]));
  const all = BUILT_IN_EVENT_TYPES.map((b) => own.get(b.name) ?? fromBuiltIn(b.name)!);
  for (const t of own.values()) if (t.source === 'custom') all.push(t);
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** Looks up several names at once (ingest); unknown names are absent from the map. */
export async function findEventTypes(db: Queryable, projectId: string, names: readonly string[]): Promise<Map<string, EventType>> {
  const unique = [...new Set(names)];
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM event_types WHERE project_id = $1 AND name = ANY($2)`, [projectId, unique]);
  const found = new Map(rows.map((r) => [r.name, fromRow(r)]));
  for (const name of unique) {
    if (!found.has(name)) {
      const builtIn = fromBuiltIn(name);
      if (builtIn) found.set(name, builtIn);
    }
  }
  return found;
}

export async function getEventType(db: Queryable, projectId: string, name: string): Promise<EventType> {
  const t = (await findEventTypes(db, projectId, [name])).get(name);
  if (!t) throw new NotFoundError('Event type', name);
  return t;
}

export interface EventTypeInput {
  description?: string;
  default_severity?: string;
  ttl_seconds?: number | null;
  template?: unknown;
  sample_data?: Record<string, unknown>;
  subject_policy?: unknown;
  /** A JSON Schema for the data (null or absent: the built-in's for an override, none for a custom type). */
  data_schema?: unknown;
}

/** Creates or replaces a project's event type (or its override of a built-in). */
export async function putEventType(db: Queryable, projectId: string, name: string, input: EventTypeInput): Promise<EventType> {
  const nameProblem = checkEventTypeName(name);
  if (nameProblem) throw new ValidationError(`event type name ${JSON.stringify(name)}: ${nameProblem}`, { field: 'name' });
  const base = fromBuiltIn(name);
  const template = input.template ?? base?.template;
  if (!template) throw new ValidationError('template is required for a new event type', { field: 'template' });
  const problems = checkTemplate(template);
  if (problems.length) {
    throw new ValidationError(`template has ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { field: 'template', problems }, 'template_invalid');
  }
  const severity = input.default_severity ?? base?.default_severity ?? 'info';
  if (!isSeverity(severity)) throw new ValidationError(`default_severity must be one of ${SEVERITIES.join(', ')}`, { field: 'default_severity' });
  const ttl = input.ttl_seconds === undefined ? base?.ttl_seconds ?? null : input.ttl_seconds;
  if (ttl !== null && (!Number.isInteger(ttl) || ttl < 1 || ttl > 90 * 86400)) {
    throw new ValidationError('ttl_seconds must be a whole number of seconds from 1 to 7776000 (90 days), or null for never', { field: 'ttl_seconds' });
  }
  const description = (input.description ?? base?.description ?? '').slice(0, 1000);
  const subjectPolicy = input.subject_policy === undefined ? base?.subject_policy ?? null : input.subject_policy === null ? null : checkSubjectPolicy(input.subject_policy);
  const ownSchema = input.data_schema === undefined || input.data_schema === null ? null : checkDataSchema(input.data_schema);
  const dataSchema = ownSchema ?? base?.data_schema ?? null;
  let sampleData = input.sample_data;
  if (sampleData !== undefined) {
    if (dataSchema) validateData(name, dataSchema, sampleData, '/sample_data'); // the sample must keep its own contract
  } else if (base && (!dataSchema || fitsSchema(name, dataSchema, base.sample_data))) {
    sampleData = base.sample_data;
  } else {
    sampleData = dataSchema ? (sampleFromSchema(dataSchema) as Record<string, unknown>) : {};
  }
  const { rows } = await db.query<Row>(
    `INSERT INTO event_types (project_id, name, description, default_severity, ttl_seconds, template, sample_data, subject_policy, data_schema)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (project_id, name) DO UPDATE SET description = excluded.description, default_severity = excluded.default_severity,
       ttl_seconds = excluded.ttl_seconds, template = excluded.template, sample_data = excluded.sample_data,
       subject_policy = excluded.subject_policy, data_schema = excluded.data_schema, updated_at = now()
     RETURNING ${COLUMNS}`,
    [projectId, name, description, severity, ttl, JSON.stringify(template), JSON.stringify(sampleData), subjectPolicy === null ? null : JSON.stringify(subjectPolicy),
      ownSchema === null ? null : JSON.stringify(ownSchema)],
  );
  return fromRow(rows[0]);
}

function fitsSchema(name: string, schema: DataSchema, data: unknown): boolean {
  try {
    validateData(name, schema, data);
    return true;
  } catch {
    return false;
  }
}

/** Deletes a custom type, or removes an override so the built-in applies again. */
export async function deleteEventType(db: Queryable, projectId: string, name: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM event_types WHERE project_id = $1 AND name = $2', [projectId, name]);
  if (!rowCount) {
    if (findBuiltInEventType(name)) throw new ValidationError(`${name} is built in and has no override to remove`, { field: 'name' }, 'built_in_event_type');
    throw new NotFoundError('Event type', name);
  }
}
