/** Event types (built-in packs + the project's own) and template previews. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app-context.ts';
import * as eventTypes from '../../event-types/event-type-store.ts';
import { ValidationError } from '../../errors.ts';
import { sharedRenderPool } from '../../templates/render-pool.ts';
import type { MessageTemplate } from '../../templates/message-template.ts';
import { isSeverity } from '../../event-types/severity.ts';
import { bearerSecurity, createRouter, scopedProject } from '../router.ts';
import { DataSchemaSchema, errorResponse, errorResponses, EventTypeSchema, MessageSchema, SubjectPolicySchema } from '../schemas.ts';
import { sampleFromSchema } from '../../event-types/data-schema.ts';
import { subjectPolicyForApi } from '../../event-types/subject-policy.ts';

const Params = z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'approval.created' }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const tags = ['Event types'];

const TemplateSchema = z.object({ text: z.string().min(1).max(10_000), blocks: z.array(z.unknown()).max(100).optional() }).strict().openapi('MessageTemplate');
const EventTypeInput = z
  .object({
    description: z.string().max(1000).optional(),
    default_severity: z.string().optional(),
    ttl_seconds: z.number().int().nullable().optional(),
    template: TemplateSchema.optional(),
    sample_data: z.record(z.string(), z.unknown()).optional(),
    subject_policy: SubjectPolicySchema.nullable().optional(),
    data_schema: DataSchemaSchema
      .nullable()
      .optional()
      .openapi({ description: "The data contract, checked at ingest; null or absent: the built-in's for an override, none for a custom type" }),
  })
  .strict()
  .openapi('EventTypeInput');
const PreviewInput = z
  .object({ data: z.record(z.string(), z.unknown()).optional(), severity: z.string().optional(), subject: z.string().max(255).optional() })
  .strict()
  .openapi('PreviewInput');
const TemplatePreviewInput = PreviewInput.extend({ template: TemplateSchema }).strict().openapi('TemplatePreviewInput');

/** Renders on the render worker thread: a template someone is trying out must not stall other requests. */
/** `defaultSeverity`: the event type's, so a preview looks like what delivery will send. */
function preview(template: MessageTemplate, type: string, input: z.infer<typeof PreviewInput>, data: Record<string, unknown>, projectName: string, defaultSeverity = 'info') {
  const severity = input.severity ?? defaultSeverity;
  if (!isSeverity(severity)) throw new ValidationError('severity must be one of info, low, medium, high, critical', { field: 'severity' });
  return sharedRenderPool().render(template, {
    event: { type, severity, subject: input.subject ?? null, occurred_at: new Date().toISOString(), key: null },
    data,
    project: { name: projectName },
  });
}

/** An event type as the API shows it (subject policies with the snake_case fields they are given with). */
const forApi = (t: eventTypes.EventType) => ({ ...t, subject_policy: subjectPolicyForApi(t.subject_policy) });

async function projectName(ctx: AppContext, projectId: string): Promise<string> {
  const { rows } = await ctx.db.query<{ name: string }>('SELECT name FROM projects WHERE id = $1', [projectId]);
  return rows[0]?.name ?? '';
}

export function eventTypeRoutes(ctx: AppContext) {
  const r = createRouter();

  r.openapi(
    createRoute({ method: 'get', path: '/v1/event-types', tags, security: bearerSecurity, summary: 'List the event types this project can send',
      responses: { 200: json(z.object({ event_types: z.array(EventTypeSchema) }), 'Event types'), ...errorResponses } }),
    async (c) => c.json({ event_types: (await eventTypes.listEventTypes(ctx.db, await scopedProject(ctx, c))).map(forApi) }, 200),
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/event-types/{name}', tags, security: bearerSecurity, summary: 'Get an event type',
      request: { params: Params }, responses: { 200: json(EventTypeSchema, 'The event type'), ...errorResponses } }),
    async (c) => c.json(forApi(await eventTypes.getEventType(ctx.db, await scopedProject(ctx, c), c.req.valid('param').name)), 200),
  );

  r.openapi(
    createRoute({ method: 'put', path: '/v1/event-types/{name}', tags, security: bearerSecurity,
      summary: 'Create a custom event type, or override a built-in one (e.g. its template)',
      request: { params: Params, body: { content: { 'application/json': { schema: EventTypeInput } }, required: true } },
      responses: { 200: json(EventTypeSchema, 'Saved'), ...errorResponses, 422: errorResponse(
        'Invalid template, or sample_data that does not match data_schema',
        { code: 'template_invalid', message: 'template has 1 problem(s): text: unknown filter "shout"', details: { field: 'template', problems: [{ path: 'text', message: 'unknown filter "shout"' }] } },
        { code: 'data_invalid', message: 'sample_data: /version is required by the data schema', details: { field: 'sample_data' } },
      ) } }),
    async (c) => c.json(forApi(await eventTypes.putEventType(ctx.db, await scopedProject(ctx, c), c.req.valid('param').name, c.req.valid('json'))), 200),
  );

  r.openapi(
    createRoute({ method: 'delete', path: '/v1/event-types/{name}', tags, security: bearerSecurity,
      summary: 'Delete a custom event type, or remove an override so the built-in applies again',
      request: { params: Params }, responses: { 204: { description: 'Deleted' }, ...errorResponses } }),
    async (c) => {
      await eventTypes.deleteEventType(ctx.db, await scopedProject(ctx, c), c.req.valid('param').name);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({ method: 'post', path: '/v1/event-types/{name}/preview', tags, security: bearerSecurity,
      summary: "Render an event type's template with its sample data or the data given",
      request: { params: Params, body: { content: { 'application/json': { schema: PreviewInput } }, required: false } },
      responses: { 200: json(MessageSchema, 'The message as it would be sent'), ...errorResponses } }),
    async (c) => {
      const projectId = await scopedProject(ctx, c);
      const type = await eventTypes.getEventType(ctx.db, projectId, c.req.valid('param').name);
      const input = c.req.valid('json') ?? {};
      // Without data: the type's sample, or one made from its data schema.
      const sample = Object.keys(type.sample_data).length || !type.data_schema ? type.sample_data : (sampleFromSchema(type.data_schema) as Record<string, unknown>);
      return c.json(await preview(type.template, type.name, input, input.data ?? sample, await projectName(ctx, projectId), type.default_severity), 200);
    },
  );

  r.openapi(
    createRoute({ method: 'post', path: '/v1/templates/preview', tags, security: bearerSecurity, summary: 'Render any template with the data given',
      request: { body: { content: { 'application/json': { schema: TemplatePreviewInput } }, required: true } },
      responses: { 200: json(MessageSchema, 'The message as it would be sent'), ...errorResponses } }),
    async (c) => {
      const projectId = await scopedProject(ctx, c);
      const input = c.req.valid('json');
      return c.json(await preview(input.template, 'preview', input, input.data ?? {}, await projectName(ctx, projectId)), 200);
    },
  );

  return r;
}
