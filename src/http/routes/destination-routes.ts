/** Destinations of the calling project: CRUD, enable/disable, resume, and the test message. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app-context.ts';
import { resumeDestination } from '../../deliveries/resume-destination.ts';
import * as destinations from '../../destinations/destination-store.ts';
import { sendTestMessage } from '../../destinations/send-test-message.ts';
import { bearerSecurity, createRouter, scopedProject } from '../router.ts';
import { DestinationSchema, DisplayName, errorResponses, ResumeResultSchema, TestMessageResultSchema } from '../schemas.ts';
import type { SubjectPolicy } from '../../event-types/event-type-definition.ts';
import { subjectPolicyForApi } from '../../event-types/subject-policy.ts';

const Params = z.object({ destination_id: z.string().openapi({ param: { name: 'destination_id', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const tags = ['Destinations'];

const DestinationInput = z
  .object({
    name: DisplayName,
    kind: z.enum(destinations.DESTINATION_KINDS),
    webhook_url: z.string().max(2000).optional().openapi({ description: 'webhook: https://hooks.slack.com/services/T…/B…/…' }),
    connection_id: z.string().optional().openapi({ description: 'channel, dm: the Slack connection to post through' }),
    channel_id: z.string().optional().openapi({ description: 'channel: the channel id (C…)' }),
    user_id: z.string().optional().openapi({ description: 'dm: the user id (U…)' }),
    user_email: z.string().optional().openapi({ description: 'dm: or the user’s email, looked up at delivery' }),
    enabled: z.boolean().optional(),
    subscriptions: z.array(z.string()).min(1).max(100).openapi({ example: ['approval.created', 'approval.executed', 'alert.*'] }),
    condition: z.string().max(2000).nullable().optional().openapi({ example: 'severity >= high', description: 'See docs/conditions.md' }),
    subject_policies: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({
        description: 'Per event type, what later events about the same subject do here, overriding the event type: {"approval.executed": {"action": "thread"}}',
        example: { 'challenge.progress': { action: 'thread' } },
      }),
    ephemeral_user_id: z.string().nullable().optional().openapi({ description: 'channel: post ephemerally, visible only to this user (U…)' }),
    allow_unknown: z
      .boolean()
      .optional()
      .openapi({ description: 'Accept subscriptions and subject_policies naming event types not defined yet (answered with warnings); otherwise they are refused with the nearest real type named' }),
  })
  .strict()
  .openapi('DestinationInput');

const DestinationPatch = DestinationInput.partial().omit({ kind: true }).strict().openapi('DestinationPatch');

const DestinationWarningSchema = z
  .object({ code: z.enum(['unknown_event_type']), field: z.string(), message: z.string(), suggestion: z.string().optional() })
  .openapi('DestinationWarning');
const SavedDestinationSchema = DestinationSchema.extend({
  warnings: z.array(DestinationWarningSchema).optional().openapi({ description: 'With allow_unknown: the event types named that do not exist yet' }),
}).openapi('SavedDestination');

/** A destination as the API shows it (subject policies with the snake_case fields they are given with). */
function forApi<T extends { subject_policies: Record<string, SubjectPolicy> }>(d: T): T {
  return { ...d, subject_policies: Object.fromEntries(Object.entries(d.subject_policies ?? {}).map(([type, p]) => [type, subjectPolicyForApi(p)])) };
}

export function destinationRoutes(ctx: AppContext) {
  const r = createRouter();
  const rules = { keyring: ctx.keyring, allowedWebhookOrigins: ctx.config.allowedWebhookOrigins };

  r.openapi(
    createRoute({ method: 'post', path: '/v1/destinations', tags, security: bearerSecurity, summary: 'Create a destination',
      request: { body: { content: { 'application/json': { schema: DestinationInput } }, required: true } },
      responses: { 201: json(SavedDestinationSchema, 'Created'), ...errorResponses } }),
    async (c) => c.json(forApi(await destinations.createDestination(ctx.db, await scopedProject(ctx, c), c.req.valid('json'), rules)), 201),
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/destinations', tags, security: bearerSecurity, summary: 'List destinations',
      responses: { 200: json(z.object({ destinations: z.array(DestinationSchema) }), 'Destinations'), ...errorResponses } }),
    async (c) => c.json({ destinations: (await destinations.listDestinations(ctx.db, await scopedProject(ctx, c))).map(forApi) }, 200),
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/destinations/{destination_id}', tags, security: bearerSecurity, summary: 'Get a destination',
      request: { params: Params }, responses: { 200: json(DestinationSchema, 'The destination'), ...errorResponses } }),
    async (c) => c.json(forApi(await destinations.getDestination(ctx.db, await scopedProject(ctx, c), c.req.valid('param').destination_id)), 200),
  );

  r.openapi(
    createRoute({ method: 'patch', path: '/v1/destinations/{destination_id}', tags, security: bearerSecurity,
      summary: 'Change a destination (a new address clears needs_attention)',
      request: { params: Params, body: { content: { 'application/json': { schema: DestinationPatch } }, required: true } },
      responses: { 200: json(SavedDestinationSchema, 'The updated destination'), ...errorResponses } }),
    async (c) => {
      const updated = await destinations.updateDestination(ctx.db, await scopedProject(ctx, c), c.req.valid('param').destination_id, c.req.valid('json'), rules);
      if (updated.status === 'active') ctx.onDeliveriesChanged?.(); // a fixed destination's held queue resumes at once
      return c.json(forApi(updated), 200);
    },
  );

  for (const action of ['enable', 'disable'] as const) {
    r.openapi(
      createRoute({ method: 'post', path: `/v1/destinations/{destination_id}/${action}`, tags, security: bearerSecurity,
        summary: action === 'enable' ? 'Enable a destination' : 'Disable a destination (new events skip it)',
        request: { params: Params }, responses: { 200: json(DestinationSchema, 'The destination'), ...errorResponses } }),
      async (c) => {
        const updated = await destinations.updateDestination(ctx.db, await scopedProject(ctx, c), c.req.valid('param').destination_id, { enabled: action === 'enable' }, rules);
        if (updated.status === 'active') ctx.onDeliveriesChanged?.();
        return c.json(forApi(updated), 200);
      },
    );
  }

  r.openapi(
    createRoute({ method: 'post', path: '/v1/destinations/{destination_id}/resume', tags, security: bearerSecurity,
      summary: 'Send the messages waiting on a retry backoff now, in order (and lift a needs_attention hold)',
      description:
        'Every delivery of this destination waiting on its retry backoff (or on its workspace’s outage) is made due now, keeping its place in line, ' +
        'so the line drains in order within pacing. A destination that needs attention is made active again and its held messages are tried at once; ' +
        'if Slack still says it is broken, it needs attention again. A disabled destination stays disabled, and a 429’s Retry-After still applies.',
      request: { params: Params }, responses: { 200: json(ResumeResultSchema, 'What was resumed'), ...errorResponses } }),
    async (c) => {
      const result = await resumeDestination(ctx.db, await scopedProject(ctx, c), c.req.valid('param').destination_id);
      if (result.resumed > 0 || result.hold_lifted) ctx.onDeliveriesChanged?.();
      return c.json({ ...result, destination: forApi(result.destination) }, 200);
    },
  );

  r.openapi(
    createRoute({ method: 'post', path: '/v1/destinations/{destination_id}/test', tags, security: bearerSecurity,
      summary: 'Send a test message now and say what happened',
      description:
        'Sends a message labelled as a Switchboard test (with the destination’s name and the time) straight through the transport, ' +
        'not the queue, and answers with the outcome and, on failure, a hint. A broken destination is marked needs_attention; ' +
        'a successful test clears needs_attention so held messages go out. The attempt is recorded in the audit log.',
      request: { params: Params }, responses: { 200: json(TestMessageResultSchema, 'The outcome (ok: false when Slack refused)'), ...errorResponses } }),
    async (c) => {
      return c.json(await sendTestMessage(ctx, await scopedProject(ctx, c), c.req.valid('param').destination_id), 200);
    },
  );

  r.openapi(
    createRoute({ method: 'delete', path: '/v1/destinations/{destination_id}', tags, security: bearerSecurity, summary: 'Delete a destination',
      request: { params: Params }, responses: { 204: { description: 'Deleted' }, ...errorResponses } }),
    async (c) => {
      await destinations.deleteDestination(ctx.db, await scopedProject(ctx, c), c.req.valid('param').destination_id);
      return c.body(null, 204);
    },
  );

  return r;
}
