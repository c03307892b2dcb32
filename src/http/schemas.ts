/**
 * OpenAPI schemas of what the REST API returns. Request bodies are validated with their own
 * schemas next to the domain code that owns the rules (e.g. src/ingest/event-input.ts).
 */
import { z } from '@hono/zod-openapi';
import { SUBJECT_ACTIONS } from '../event-types/event-type-definition.ts';

// Control characters (C0, DEL, C1), line and paragraph separators, and bidirectional overrides:
// a name with them prints wrong or misleadingly in tables, logs and Slack.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A name people read (project, key, destination): 1–200 characters, no control characters. */
export const DisplayName = z
  .string()
  .min(1)
  .max(200)
  .refine((v) => !UNPRINTABLE.test(v), { message: 'must not contain control characters, line breaks or bidirectional overrides' });

/** Largest project `settings` object, as JSON. */
export const MAX_SETTINGS_BYTES = 16 * 1024;

export const ProjectSettings = z
  .record(z.string(), z.unknown())
  .refine((v) => JSON.stringify(v).length <= MAX_SETTINGS_BYTES, { message: `must be at most ${MAX_SETTINGS_BYTES} bytes as JSON` });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed', description: 'Stable, machine-readable' }),
      message: z.string().openapi({ description: 'What is wrong and how to fix it' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

/** One error answer as the server sends it: the example a reader (or "Try it out") sees. */
export interface ErrorExample {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A documented error response with an example body per code it can carry (see the code table in
 * src/http/error-response.ts): one code as `example`, several as named `examples`.
 */
export function errorResponse(description: string, first: ErrorExample, ...more: ErrorExample[]) {
  const all = [first, ...more];
  const media =
    all.length === 1
      ? { schema: ErrorSchema, example: { error: first } }
      : { schema: ErrorSchema, examples: Object.fromEntries(all.map((e) => [e.code, { summary: e.code, value: { error: e } }])) };
  return { description, content: { 'application/json': media } };
}

export const errorResponses = {
  400: errorResponse(
    'The request is malformed or breaks a rule',
    { code: 'validation_failed', message: 'name: must be at most 200 characters', details: { field: 'name' } },
    { code: 'invalid_json', message: 'The request body is not valid JSON: check quoting and commas' },
  ),
  401: errorResponse('Missing, unknown or revoked API key', { code: 'unauthorized', message: 'Missing or invalid API key: send Authorization: Bearer <key>' }),
  404: errorResponse('Not found (or belongs to another project)', { code: 'not_found', message: 'No such resource in this project' }),
  503: {
    ...errorResponse('The database is unavailable or did not answer in time; nothing was changed. Retry after Retry-After seconds', {
      code: 'database_unavailable',
      message: 'The database is unavailable or did not answer in time; nothing was changed. Retry in 5 seconds (see Retry-After)',
    }),
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 5 } } },
  },
} as const;

/** A timestamp the API returns: ISO 8601, documented as date-time. */
export const timestamp = () => z.string().openapi({ format: 'date-time' });

export const ProjectSchema = z
  .object({
    id: z.string().openapi({ example: 'prj_01jf3z8n5q0000000000000000' }),
    name: z.string(),
    settings: z.record(z.string(), z.unknown()),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi('Project');

export const ApiKeySchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    name: z.string(),
    key_hint: z.string().openapi({ example: 'sb_live_…7qxz' }),
    created_at: timestamp(),
    last_used_at: timestamp().nullable(),
    revoked_at: timestamp().nullable(),
  })
  .openapi('ApiKey');

export const NewApiKeySchema = z
  .object({ api_key: ApiKeySchema, key: z.string().openapi({ description: 'Shown once: store it now.' }) })
  .openapi('NewApiKey');

const status = z.enum(['active', 'needs_attention', 'disabled', 'disconnected']);

export const ConnectionSchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    team_id: z.string(),
    team_name: z.string().nullable(),
    enterprise_id: z.string().nullable(),
    bot_user_id: z.string().nullable(),
    app_id: z.string().nullable(),
    scopes: z.array(z.string()),
    bot_token_hint: z.string().nullable().openapi({ example: 'xoxb-…a1b2', description: 'The token itself is never returned.' }),
    token_expires_at: timestamp().nullable(),
    status,
    status_reason: z.string().nullable(),
    status_hint: z.string().nullable(),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi('Connection');

export const DestinationSchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    name: z.string(),
    kind: z.enum(['webhook', 'channel', 'dm']),
    connection_id: z.string().nullable(),
    channel_id: z.string().nullable(),
    user_id: z.string().nullable(),
    user_email: z.string().nullable(),
    webhook_url_hint: z.string().nullable().openapi({ example: 'https://hooks.slack.com/services/T…/B…/…x9Yz' }),
    enabled: z.boolean(),
    subscriptions: z.array(z.string()),
    condition: z.string().nullable(),
    subject_policies: z.record(z.string(), z.unknown()),
    ephemeral_user_id: z.string().nullable(),
    status,
    status_reason: z.string().nullable(),
    status_hint: z.string().nullable(),
    waiting_on_outage: z
      .object({
        key: z.string().openapi({ example: 'team:T0123ABCD', description: 'team:<workspace> (Web API), hook:<workspace> (incoming webhooks), or hook:<host>' }),
        since: timestamp().openapi({ description: 'When the outage began (the first failure with no success since)' }),
        failures: z.number().openapi({ description: 'Failed sends there since it began' }),
        last_error: z.string().nullable(),
        next_probe_at: timestamp().openapi({ description: 'When one waiting message is tried next; the first that gets through resumes every line waiting on it' }),
      })
      .nullable()
      .openapi({ description: 'The Slack outage the head of this destination’s line is waiting out, if any (see docs/deliveries.md)' }),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi('Destination');

export const MessageSchema = z
  .object({ text: z.string(), blocks: z.array(z.unknown()).optional() })
  .openapi('RenderedMessage');

export const SubjectPolicySchema = z
  .object({
    action: z.enum(SUBJECT_ACTIONS).openapi({ description: "new: another message; thread: reply in the root's thread; update: edit the root; update_and_thread: both" }),
    reply_broadcast: z.boolean().optional().openapi({ description: 'A thread reply is also shown in the channel' }),
    update_template: z
      .object({ text: z.string().min(1).max(10_000), blocks: z.array(z.unknown()).max(100).optional() })
      .strict()
      .optional()
      .openapi({ description: "What the root becomes on update (default: this event's message)" }),
  })
  .strict()
  .openapi('SubjectPolicy', { description: 'What a later event about the same subject does where the subject already has a message (its root)' });

export const DataSchemaSchema = z.record(z.string(), z.unknown()).openapi('DataSchema', {
  description:
    "A JSON Schema (draft-07 subset) for the event's data: type object, properties (type, description, enum, const, items, min/max…), " +
    'required, and additionalProperties (false: unknown fields are refused; otherwise accepted with a warning). See docs/templates.md.',
  example: {
    type: 'object',
    properties: {
      service: { type: 'string', description: 'The service released' },
      version: { type: 'string', description: 'Its new version' },
      changes: { type: 'integer', description: 'How many changes it brings' },
    },
    required: ['service', 'version'],
    additionalProperties: false,
  },
});

export const EventTypeSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    default_severity: z.string(),
    ttl_seconds: z.number().nullable(),
    template: z.object({ text: z.string(), blocks: z.array(z.unknown()).optional() }),
    sample_data: z.record(z.string(), z.unknown()),
    source: z.enum(['built_in', 'override', 'custom']),
    pack: z.string().nullable(),
    subject_policy: SubjectPolicySchema.nullable().openapi({ description: 'What later events about the same subject do (null: post a new message)' }),
    data_schema: DataSchemaSchema.nullable().openapi({ description: 'The data contract, checked at ingest (null: any data)' }),
  })
  .openapi('EventType');

export const DeliverySummarySchema = z
  .object({
    id: z.string(),
    destination_id: z.string(),
    destination_name: z.string(),
    destination_kind: z.string(),
    status: z.string().openapi({ description: 'pending, sending, sent, failed, dead, expired, cancelled, or held while the destination needs attention' }),
    attempts: z.number(),
    last_error: z.string().nullable(),
    run_at: timestamp(),
    sent_at: timestamp().nullable(),
  })
  .openapi('DeliverySummary');

const eventFields = {
  id: z.string(),
  type: z.string(),
  key: z.string().nullable(),
  subject: z.string().nullable(),
  severity: z.string(),
  data: z.record(z.string(), z.unknown()),
  occurred_at: timestamp(),
  accepted_at: timestamp(),
  deliver_at: timestamp().nullable(),
  expires_at: timestamp().nullable(),
};

export const EventSchema = z.object(eventFields).openapi('Event');
export const EventWithDeliveriesSchema = z.object({ ...eventFields, deliveries: z.array(DeliverySummarySchema) }).openapi('EventWithDeliveries');

export const DataWarningSchema = z
  .object({
    code: z.enum(['unknown_field']),
    pointer: z.string().openapi({ example: '/data/requestor', description: 'JSON pointer to the field' }),
    message: z.string().openapi({ example: '/data/requestor is not a field of approval.created: did you mean requester? (accepted as is)' }),
    suggestion: z.string().optional().openapi({ example: 'requester', description: 'The declared field it probably meant' }),
  })
  .openapi('DataWarning');

export const AcceptedEventSchema = z
  .object({
    replayed: z.boolean().openapi({ description: 'true when the idempotency key was seen before: this is the first result' }),
    event: EventWithDeliveriesSchema,
    warnings: z
      .array(DataWarningSchema)
      .optional()
      .openapi({ description: "Present when the data has fields its event type's data schema does not declare (accepted: the schema allows them)" }),
  })
  .openapi('AcceptedEvent');

const deliveryStatus = z
  .enum(['pending', 'held', 'sending', 'scheduled', 'sent', 'failed', 'dead', 'expired', 'cancelled'])
  .openapi({ description: 'held: pending while the destination needs attention (see docs/deliveries.md)' });

const deliveryFields = {
  id: z.string().openapi({ example: 'dlv_01jf3z8n5q0000000000000000' }),
  event_id: z.string(),
  event_type: z.string(),
  destination_id: z.string(),
  destination_name: z.string(),
  destination_kind: z.string(),
  destination_status: z.string(),
  status: deliveryStatus,
  attempts: z.number().openapi({ description: 'Attempts made so far; a 429 or a hold does not count' }),
  last_error: z.string().nullable(),
  hint: z.string().nullable().openapi({ description: 'What a person can do about it, when someone has to act' }),
  created_at: timestamp().openapi({ description: 'When the event was accepted' }),
  run_at: timestamp().openapi({ description: 'Not sent before this time (the next retry, or the scheduled time)' }),
  expires_at: timestamp().nullable(),
  sent_at: timestamp().nullable(),
  slack_channel: z.string().nullable(),
  slack_ts: z.string().nullable().openapi({ description: 'The message ts (Web API destinations; webhooks return none)' }),
};

export const DeliverySchema = z.object(deliveryFields).openapi('Delivery');

export const DeliveryAttemptSchema = z
  .object({
    id: z.string(),
    attempt: z.number(),
    worker: z.string().nullable(),
    started_at: timestamp(),
    latency_ms: z.number(),
    request: z.unknown().openapi({ description: 'What was sent, secrets masked' }),
    http_status: z.number().nullable(),
    response: z.unknown().openapi({ description: 'What Slack answered' }),
    outcome: z.enum(['sent', 'retry', 'rate_limited', 'rejected', 'destination_broken']),
    error: z.string().nullable(),
    slack_channel: z.string().nullable(),
    slack_ts: z.string().nullable(),
  })
  .openapi('DeliveryAttempt');

export const DeliveryDetailSchema = z
  .object({
    ...deliveryFields,
    message: z.unknown().openapi({ description: 'The rendered message ({ text, blocks })' }),
    destination: z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      status: status,
      status_reason: z.string().nullable(),
      status_hint: z.string().nullable(),
    }),
    attempt_log: z.array(DeliveryAttemptSchema).openapi({ description: 'Every attempt, oldest first' }),
  })
  .openapi('DeliveryDetail');

const bulkFields = {
  matched: z.number().openapi({ description: 'How many matched when this call began (from the cursor on)' }),
  delivery_ids: z.array(z.string()).openapi({ description: 'The deliveries this call changed, in queue order' }),
  next_cursor: z.string().nullable().openapi({ description: 'With `limit`: pass it back as `cursor` to continue; null when done' }),
};

export const BulkRetryResultSchema = z.object({ retried: z.number(), ...bulkFields }).openapi('BulkRetryResult');
export const BulkCancelResultSchema = z.object({ cancelled: z.number(), ...bulkFields }).openapi('BulkCancelResult');

export const ResumeResultSchema = z
  .object({
    destination: DestinationSchema,
    hold_lifted: z.boolean().openapi({ description: 'true when the destination needed attention and is active again' }),
    resumed: z.number().openapi({ description: 'How many waiting deliveries were made due now' }),
    delivery_ids: z.array(z.string()).openapi({ description: 'The deliveries made due now, in queue order' }),
  })
  .openapi('ResumeResult');

export const TestMessageResultSchema = z
  .object({
    ok: z.boolean(),
    outcome: z.enum(['sent', 'retry', 'rate_limited', 'rejected', 'destination_broken']),
    error: z.string().optional().openapi({ example: 'no_service', description: "Slack's error, or what went wrong on the way" }),
    hint: z.string().optional().openapi({ description: 'What to do about it, in plain words' }),
    slack: z.object({ channel: z.string(), ts: z.string() }).optional().openapi({ description: 'Where the message went (Web API destinations)' }),
    latency_ms: z.number(),
    destination_status: status.openapi({ description: "The destination's status after the test" }),
    attempt_id: z.string().openapi({ description: 'The attempt as recorded in the audit log' }),
  })
  .openapi('TestMessageResult');

export const InstallLinkSchema = z
  .object({
    url: z.string().openapi({ description: "Slack's authorize page for this project: send the person who approves the install there. Works once, for 10 minutes." }),
    expires_at: timestamp(),
    scopes: z.array(z.string()).openapi({ description: 'Bot scopes asked for (chat:write plus those of the enabled features)' }),
    redirect_uri: z.string().openapi({ description: 'Where Slack sends the installer back; must be a Redirect URL of the Slack app' }),
  })
  .openapi('InstallLink');

export const DisconnectResultSchema = z
  .object({
    connection: ConnectionSchema,
    slack_revoked: z.boolean().openapi({ description: 'Slack confirmed the bot token no longer works' }),
    revoke_note: z.string().nullable().openapi({ description: 'Why the token was not revoked at Slack, when it was not' }),
    destinations_paused: z.number(),
  })
  .openapi('DisconnectResult');

export const PickableChannelSchema = z
  .object({
    id: z.string().openapi({ example: 'C0123ABCD' }),
    name: z.string(),
    is_private: z.boolean(),
    is_member: z.boolean(),
    post_via: z.enum(['member', 'chat:write.public', 'channels:join']).openapi({ description: 'How the bot gets its messages in' }),
  })
  .openapi('PickableChannel');

export const ChannelPageSchema = z
  .object({ channels: z.array(PickableChannelSchema), next_cursor: z.string().nullable() })
  .openapi('ChannelPage');

export const SlackUserSchema = z
  .object({
    user: z.object({ id: z.string(), name: z.string().nullable(), real_name: z.string().nullable(), display_name: z.string().nullable(), is_bot: z.boolean() }),
    dm_channel_id: z.string().nullable().openapi({ description: 'The DM with them, when the install may open DMs (im:write)' }),
  })
  .openapi('SlackUser');
