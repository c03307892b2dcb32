/** Ingest (POST /v1/events, /v1/events/batch) and reading events back. */
import { findUnstorable, unstorableError } from '../storable-input.ts';
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app-context.ts';
import { getEvent, listEvents } from '../../events/event-queries.ts';
import { EventBatchSchema, EventInputSchema, MAX_BATCH_EVENTS, type EventInput } from '../../ingest/event-input.ts';
import { SwitchboardError } from '../../errors.ts';
import { bearerSecurity, createRouter, describeIssues, scopedProject } from '../router.ts';
import { AcceptedEventSchema, DataWarningSchema, errorResponse, ErrorSchema, errorResponses, EventSchema, EventWithDeliveriesSchema } from '../schemas.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const tags = ['Events'];

const BatchResultSchema = z
  .object({
    accepted: z.number(),
    rejected: z.number(),
    results: z.array(
      z.object({
        index: z.number(),
        status: z.enum(['accepted', 'replayed', 'rejected']),
        event: EventWithDeliveriesSchema.optional(),
        warnings: z.array(DataWarningSchema).optional(),
        error: ErrorSchema.shape.error.optional(),
      }),
    ),
  })
  .openapi('BatchResult');

const tooLarge = errorResponse('Body too large', {
  code: 'payload_too_large',
  message: 'The request body is over 1048576 bytes: send fewer or smaller events (see SWITCHBOARD_MAX_BODY_BYTES)',
});

export function eventRoutes(ctx: AppContext) {
  const r = createRouter();

  r.openapi(
    createRoute({ method: 'post', path: '/v1/events', tags, security: bearerSecurity,
      summary: 'Send one event: routed, rendered and queued in one transaction',
      description: 'Answers 202 with the event and the deliveries it planned. With `key`, a repeated call returns the first result and creates nothing.',
      request: { body: { content: { 'application/json': { schema: EventInputSchema } }, required: true } },
      responses: {
        202: json(AcceptedEventSchema, 'Accepted (or replayed: see `replayed`)'),
        ...errorResponses,
        413: tooLarge,
        422: errorResponse(
          "Unknown event type, data that does not match the type's data schema (`data_invalid`, naming each field), or a template problem",
          { code: 'unknown_event_type', message: 'approval.creatd is not an event type of this project: did you mean approval.created?', details: { field: 'type' } },
          { code: 'data_invalid', message: '/data/requester is required by approval.created', details: { problems: [{ pointer: '/data/requester', message: 'is required' }] } },
          { code: 'template_invalid', message: 'template has problems: blocks[0].text: unknown filter', details: { problems: [{ path: 'blocks[0].text', message: 'unknown filter' }] } },
        ),
      } }),
    async (c) => {
      const projectId = await scopedProject(ctx, c);
      const [result] = await ctx.ingest.accept(projectId, [c.req.valid('json')], ctx.clock.now());
      if (!result.ok) throw new SwitchboardError(result.error.code, result.error.message, result.error.details);
      if (result.replayed) c.header('Idempotent-Replayed', 'true');
      else ctx.metrics?.eventsAccepted('single', 1);
      return c.json({ replayed: result.replayed, event: result.event, ...(result.warnings ? { warnings: result.warnings } : {}) }, 202);
    },
  );

  r.openapi(
    createRoute({ method: 'post', path: '/v1/events/batch', tags, security: bearerSecurity,
      summary: `Send up to ${MAX_BATCH_EVENTS} events in one transaction, with a result per event`,
      description: 'Valid events are accepted even when others in the batch are rejected; each result says which.',
      request: { body: { content: { 'application/json': { schema: EventBatchSchema } }, required: true } },
      responses: { 202: json(BatchResultSchema, 'Per-event results'), ...errorResponses, 413: tooLarge } }),
    async (c) => {
      const projectId = await scopedProject(ctx, c);
      const raw = c.req.valid('json').events;
      const valid: { index: number; input: EventInput }[] = [];
      const results: z.infer<typeof BatchResultSchema>['results'] = new Array(raw.length);
      raw.forEach((item, index) => {
        const unstorable = findUnstorable(item);
        if (unstorable) {
          const { message, details } = unstorableError(unstorable, 'event');
          results[index] = { index, status: 'rejected', error: { code: 'validation_failed', message: `Invalid event: ${message}`, details } };
          return;
        }
        const parsed = EventInputSchema.safeParse(item);
        if (parsed.success) valid.push({ index, input: parsed.data });
        else {
          const { message, issues } = describeIssues(parsed.error.issues);
          results[index] = { index, status: 'rejected', error: { code: 'validation_failed', message: `Invalid event: ${message}`, details: { issues } } };
        }
      });
      const accepted = await ctx.ingest.accept(projectId, valid.map((v) => v.input), ctx.clock.now());
      accepted.forEach((res, i) => {
        const index = valid[i].index;
        results[index] = res.ok
          ? { index, status: res.replayed ? 'replayed' : 'accepted', event: res.event, ...(res.warnings ? { warnings: res.warnings } : {}) }
          : { index, status: 'rejected', error: res.error };
      });
      const rejected = results.filter((x) => x.status === 'rejected').length;
      ctx.metrics?.eventsAccepted('batch', results.filter((x) => x.status === 'accepted').length);
      return c.json({ accepted: results.length - rejected, rejected, results }, 202);
    },
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/events', tags, security: bearerSecurity, summary: 'List events, newest first',
      request: { query: z.object({
        limit: z.coerce.number().int().min(1).max(200).optional(),
        cursor: z.string().optional(),
        type: z.string().optional(),
        subject: z.string().optional(),
      }) },
      responses: { 200: json(z.object({ events: z.array(EventSchema), next_cursor: z.string().nullable() }), 'A page of events'), ...errorResponses } }),
    async (c) => c.json(await listEvents(ctx.db, await scopedProject(ctx, c), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/events/{event_id}', tags, security: bearerSecurity, summary: 'Get an event with its deliveries',
      request: { params: z.object({ event_id: z.string().openapi({ param: { name: 'event_id', in: 'path' } }) }) },
      responses: { 200: json(EventWithDeliveriesSchema, 'The event'), ...errorResponses } }),
    async (c) => c.json(await getEvent(ctx.db, await scopedProject(ctx, c), c.req.valid('param').event_id), 200),
  );

  return r;
}

