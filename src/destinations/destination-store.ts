/**
 * Destinations: where a project's messages go (an incoming webhook, a channel or a DM through a
 * connection), which event types each subscribes to, and an optional condition on the event.
 * Input is validated here so every route and the CLI get the same rules and messages.
 */
import type { Queryable } from '../db/database.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { compileCondition } from '../routing/condition.ts';
import { checkPatternMatchesKnown, checkSubscriptionPattern } from '../routing/event-type-pattern.ts';
import { listEventTypes } from '../event-types/event-type-store.ts';
import type { Keyring } from '../secrets/keyring.ts';
import { maskSecret } from '../secrets/mask-secret.ts';
import { getConnection } from '../connections/connection-store.ts';
import { OUTAGE_CONFIRMED_FAILURES } from '../delivery/outages.ts';
import { checkWebhookUrl } from './check-webhook-url.ts';
import type { SubjectPolicy } from '../event-types/event-type-definition.ts';
import { checkSubjectPolicy } from '../event-types/subject-policy.ts';
import { checkEventTypeName } from '../event-types/event-type-name.ts';

function checkSubjectPolicies(input: Record<string, unknown>): Record<string, SubjectPolicy> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) fail('subject_policies', 'subject_policies must be an object: event type → policy');
  return Object.fromEntries(
    Object.entries(input).map(([type, policy]) => {
      const problem = checkEventTypeName(type);
      if (problem) fail('subject_policies', `subject_policies key ${JSON.stringify(type)}: ${problem}`);
      return [type, checkSubjectPolicy(policy, `subject_policies["${type}"]`)];
    }),
  );
}

export const DESTINATION_KINDS = ['webhook', 'channel', 'dm'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

export interface Destination {
  id: string;
  project_id: string;
  name: string;
  kind: DestinationKind;
  connection_id: string | null;
  channel_id: string | null;
  user_id: string | null;
  user_email: string | null;
  webhook_url_hint: string | null;
  enabled: boolean;
  subscriptions: string[];
  condition: string | null;
  subject_policies: Record<string, SubjectPolicy>;
  ephemeral_user_id: string | null;
  status: 'active' | 'needs_attention' | 'disabled';
  status_reason: string | null;
  status_hint: string | null;
  /** The outage (src/delivery/outages.ts) the head of its line is waiting on, if any. */
  waiting_on_outage: { key: string; since: string; failures: number; last_error: string | null; next_probe_at: string } | null;
  created_at: string;
  updated_at: string;
}

export interface DestinationInput {
  name?: string;
  kind?: DestinationKind;
  connection_id?: string | null;
  channel_id?: string | null;
  user_id?: string | null;
  user_email?: string | null;
  webhook_url?: string | null;
  enabled?: boolean;
  subscriptions?: string[];
  condition?: string | null;
  subject_policies?: Record<string, unknown>;
  ephemeral_user_id?: string | null;
  /** Accept subscriptions and subject_policies naming event types not defined yet (with a warning). */
  allow_unknown?: boolean;
}

/** Something accepted that may not be what was meant (an event type not defined yet). */
export interface DestinationWarning {
  code: 'unknown_event_type';
  field: string;
  message: string;
  suggestion?: string;
}

export interface DestinationRules {
  keyring: Keyring;
  allowedWebhookOrigins: readonly string[];
}

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The outage (a confirmed one) the head of the destination's line waits on (one index lookup for the head). */
const WAITING_ON_OUTAGE = `(SELECT json_build_object('key', o.key, 'since', ${iso('o.started_at')}, 'failures', o.failures,
    'last_error', o.last_error, 'next_probe_at', ${iso('o.probe_at')})
  FROM (SELECT x.outage_key FROM deliveries x WHERE x.destination_id = destinations.id AND x.status IN ('pending', 'sending')
          AND x.deliver_at IS NULL ORDER BY x.seq LIMIT 1) h
  JOIN outages o ON o.key = h.outage_key AND o.failures >= ${OUTAGE_CONFIRMED_FAILURES})`;

export const DESTINATION_COLUMNS = `id, project_id, name, kind, connection_id, channel_id, user_id, user_email, webhook_url_hint,
  enabled, subscriptions, condition, subject_policies, ephemeral_user_id, status, status_reason, status_hint,
  ${WAITING_ON_OUTAGE} AS waiting_on_outage, created_at::text AS created_at, updated_at::text AS updated_at`;

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function fail(field: string, message: string): never {
  throw new ValidationError(message, { field });
}

/** What a destination stores: its settings, the sealed webhook URL, and the workspace posted into. */
type Row = Pick<
  Destination,
  'name' | 'kind' | 'connection_id' | 'channel_id' | 'user_id' | 'user_email' | 'webhook_url_hint' | 'enabled' | 'subscriptions' | 'condition' | 'subject_policies' | 'ephemeral_user_id'
> & {
  webhook_url_sealed: string | null;
  /** The workspace posted into: from the webhook URL or the connection (pacing per workspace). */
  team_id: string | null;
};

/**
 * Subscriptions and subject_policies keys given in this request that name no event type the project
 * has (built-in or its own): refused with the nearest real one named, or, with allow_unknown, warnings.
 */
async function checkKnownEventTypes(db: Queryable, projectId: string, input: DestinationInput, existing: Row | undefined, warnings: DestinationWarning[]): Promise<void> {
  const named: { field: string; pattern: string }[] = [];
  (input.subscriptions ?? []).forEach((pattern, i) => {
    if (!existing?.subscriptions.includes(pattern)) named.push({ field: `subscriptions[${i}]`, pattern });
  });
  for (const type of Object.keys(input.subject_policies ?? {})) {
    if (!existing?.subject_policies[type]) named.push({ field: `subject_policies["${type}"]`, pattern: type });
  }
  if (named.length === 0) return;
  const known = (await listEventTypes(db, projectId)).map((t) => t.name);
  for (const { field, pattern } of named) {
    const miss = checkPatternMatchesKnown(pattern, known);
    if (!miss) continue;
    const families = [...new Set(known.map((t) => `${t.split('.')[0]}.*`))].join(', ');
    const guess = miss.suggestion ? `did you mean ${miss.suggestion}?` : `event types here: ${families}`;
    if (input.allow_unknown) {
      warnings.push({
        code: 'unknown_event_type',
        field,
        message: `${field} ${JSON.stringify(pattern)} matches no event type yet (${guess}); accepted because allow_unknown is set`,
        ...(miss.suggestion ? { suggestion: miss.suggestion } : {}),
      });
    } else {
      throw new ValidationError(
        `${field} ${JSON.stringify(pattern)} matches no event type: ${guess} (define it with PUT /v1/event-types/{name}, or set allow_unknown: true to accept types not defined yet)`,
        { field, ...(miss.suggestion ? { suggestion: miss.suggestion } : {}) },
      );
    }
  }
}

/** Validates a whole destination (after a patch is merged) and returns the row to store. */
async function toRow(db: Queryable, projectId: string, input: DestinationInput, rules: DestinationRules, existing?: Row, warnings: DestinationWarning[] = []): Promise<Row> {
  const name = (input.name ?? existing?.name ?? '').trim();
  if (!name || name.length > 200) fail('name', 'name must be 1 to 200 characters');
  const kind = input.kind ?? existing?.kind;
  if (!kind || !DESTINATION_KINDS.includes(kind)) fail('kind', `kind must be one of ${DESTINATION_KINDS.join(', ')}`);
  if (existing && kind !== existing.kind) fail('kind', 'kind cannot change: create a new destination instead');

  const subscriptions = input.subscriptions ?? existing?.subscriptions ?? [];
  if (!Array.isArray(subscriptions) || subscriptions.length === 0 || subscriptions.length > 100) {
    fail('subscriptions', 'subscriptions must list 1 to 100 event types, e.g. ["approval.created", "alert.*"]');
  }
  subscriptions.forEach((pattern, i) => {
    const problem = typeof pattern === 'string' ? checkSubscriptionPattern(pattern) : 'must be a string';
    if (problem) fail(`subscriptions[${i}]`, `subscriptions[${i}] ${JSON.stringify(pattern)}: ${problem}`);
  });

  const conditionInput = input.condition === undefined ? existing?.condition ?? null : input.condition;
  const condition = conditionInput && conditionInput.trim() ? conditionInput.trim() : null;
  if (condition) compileCondition(condition); // throws a ValidationError saying where the condition is wrong

  const row: Row = {
    name,
    kind,
    connection_id: null,
    channel_id: null,
    user_id: null,
    user_email: null,
    webhook_url_sealed: existing?.webhook_url_sealed ?? null,
    webhook_url_hint: existing?.webhook_url_hint ?? null,
    enabled: input.enabled ?? existing?.enabled ?? true,
    subscriptions: [...new Set(subscriptions)],
    condition,
    team_id: existing?.team_id ?? null,
    subject_policies: input.subject_policies === undefined ? existing?.subject_policies ?? {} : checkSubjectPolicies(input.subject_policies),
    ephemeral_user_id: null,
  };
  await checkKnownEventTypes(db, projectId, input, existing, warnings);

  if (kind !== 'channel' && input.ephemeral_user_id) fail('ephemeral_user_id', 'ephemeral_user_id is only for channel destinations');
  if (kind === 'webhook') {
    if (input.webhook_url) {
      const url = checkWebhookUrl(input.webhook_url, rules.allowedWebhookOrigins);
      row.webhook_url_sealed = rules.keyring.encrypt(url);
      row.webhook_url_hint = maskSecret(url);
      row.team_id = new URL(url).pathname.split('/')[2] ?? null;
    }
    if (!row.webhook_url_sealed) fail('webhook_url', 'webhook_url is required for a webhook destination');
    if (input.connection_id || input.channel_id || input.user_id || input.user_email || input.ephemeral_user_id) {
      fail('kind', 'a webhook destination posts to the channel chosen when the webhook was created: leave connection_id, channel_id, user_id and user_email out');
    }
    return row;
  }

  if (input.webhook_url) fail('webhook_url', `webhook_url is only for webhook destinations, not ${kind}`);
  row.connection_id = input.connection_id ?? existing?.connection_id ?? null;
  if (!row.connection_id) fail('connection_id', `connection_id is required for a ${kind} destination: connect a Slack workspace first (POST /v1/connections)`);
  const connection = await getConnection(db, projectId, row.connection_id).catch(() => fail('connection_id', `connection ${row.connection_id} does not exist in this project`));
  row.team_id = connection.team_id;

  if (kind === 'channel') {
    row.channel_id = input.channel_id ?? existing?.channel_id ?? null;
    if (!row.channel_id || !CHANNEL_ID.test(row.channel_id)) fail('channel_id', 'channel_id must be a Slack channel id such as C0123ABCD (not a #name)');
    row.ephemeral_user_id = input.ephemeral_user_id === undefined ? existing?.ephemeral_user_id ?? null : input.ephemeral_user_id;
    if (row.ephemeral_user_id && !USER_ID.test(row.ephemeral_user_id)) fail('ephemeral_user_id', 'ephemeral_user_id must be a Slack user id such as U0123ABCD');
  } else {
    row.user_id = input.user_id === undefined ? existing?.user_id ?? null : input.user_id;
    row.user_email = input.user_email === undefined ? existing?.user_email ?? null : input.user_email;
    if (row.user_id && !USER_ID.test(row.user_id)) fail('user_id', 'user_id must be a Slack user id such as U0123ABCD');
    if (row.user_email && !EMAIL.test(row.user_email)) fail('user_email', 'user_email must be an email address');
    if (!row.user_id && !row.user_email) fail('user_id', 'a dm destination needs user_id or user_email');
  }
  return row;
}

export async function createDestination(db: Queryable, projectId: string, input: DestinationInput, rules: DestinationRules): Promise<Destination & { warnings?: DestinationWarning[] }> {
  const warnings: DestinationWarning[] = [];
  const row = await toRow(db, projectId, input, rules, undefined, warnings);
  const { rows } = await db.query<Destination>(
    `INSERT INTO destinations (id, project_id, name, kind, connection_id, channel_id, user_id, user_email,
       webhook_url_sealed, webhook_url_hint, enabled, subscriptions, condition, team_id, subject_policies, ephemeral_user_id, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, CASE WHEN $11 THEN 'active' ELSE 'disabled' END)
     RETURNING ${DESTINATION_COLUMNS}`,
    [newId('dst'), projectId, row.name, row.kind, row.connection_id, row.channel_id, row.user_id, row.user_email,
      row.webhook_url_sealed, row.webhook_url_hint, row.enabled, row.subscriptions, row.condition, row.team_id,
      JSON.stringify(row.subject_policies), row.ephemeral_user_id],
  );
  return warnings.length ? { ...rows[0], warnings } : rows[0];
}

export async function updateDestination(
  db: Queryable,
  projectId: string,
  id: string,
  patch: DestinationInput,
  rules: DestinationRules,
): Promise<Destination & { warnings?: DestinationWarning[] }> {
  const { rows: found } = await db.query<Row & { status: string }>(
    `SELECT name, kind, connection_id, channel_id, user_id, user_email, webhook_url_sealed, webhook_url_hint, enabled,
       subscriptions, condition, team_id, subject_policies, ephemeral_user_id, status FROM destinations WHERE id = $1 AND project_id = $2`,
    [id, projectId],
  );
  if (!found[0]) throw new NotFoundError('Destination', id);
  const warnings: DestinationWarning[] = [];
  const row = await toRow(db, projectId, patch, rules, found[0], warnings);
  // Changing the address (URL, channel, user) is how an admin fixes a destination that needs attention.
  const addressChanged = Boolean(patch.webhook_url || patch.channel_id || patch.user_id || patch.user_email || patch.connection_id);
  const { rows } = await db.query<Destination>(
    `UPDATE destinations SET name = $3, connection_id = $4, channel_id = $5, user_id = $6, user_email = $7,
       webhook_url_sealed = $8, webhook_url_hint = $9, enabled = $10, subscriptions = $11, condition = $12, team_id = $14,
       subject_policies = $15, ephemeral_user_id = $16,
       status = CASE WHEN NOT $10 THEN 'disabled'
                     WHEN status = 'needs_attention' AND NOT $13 THEN 'needs_attention'
                     ELSE 'active' END,
       status_reason = CASE WHEN $10 AND status = 'needs_attention' AND NOT $13 THEN status_reason END,
       status_hint = CASE WHEN $10 AND status = 'needs_attention' AND NOT $13 THEN status_hint END,
       updated_at = now()
     WHERE id = $1 AND project_id = $2 RETURNING ${DESTINATION_COLUMNS}`,
    [id, projectId, row.name, row.connection_id, row.channel_id, row.user_id, row.user_email, row.webhook_url_sealed,
      row.webhook_url_hint, row.enabled, row.subscriptions, row.condition, addressChanged, row.team_id,
      JSON.stringify(row.subject_policies), row.ephemeral_user_id],
  );
  return warnings.length ? { ...rows[0], warnings } : rows[0];
}

export async function listDestinations(db: Queryable, projectId: string): Promise<Destination[]> {
  return (await db.query<Destination>(`SELECT ${DESTINATION_COLUMNS} FROM destinations WHERE project_id = $1 ORDER BY created_at, id`, [projectId])).rows;
}

export async function getDestination(db: Queryable, projectId: string, id: string): Promise<Destination> {
  const { rows } = await db.query<Destination>(`SELECT ${DESTINATION_COLUMNS} FROM destinations WHERE id = $1 AND project_id = $2`, [id, projectId]);
  if (!rows[0]) throw new NotFoundError('Destination', id);
  return rows[0];
}

export async function deleteDestination(db: Queryable, projectId: string, id: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM destinations WHERE id = $1 AND project_id = $2', [id, projectId]);
  if (!rowCount) throw new NotFoundError('Destination', id);
}
