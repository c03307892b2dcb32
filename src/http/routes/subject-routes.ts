/** A subject's history: the messages its events produced, with permalinks. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app-context.ts';
import { getSubjectHistory } from '../../subjects/subject-history.ts';
import { bearerSecurity, createRouter, scopedProject } from '../router.ts';
import { errorResponses, timestamp } from '../schemas.ts';

const SubjectHistorySchema = z
  .object({
    subject: z.string(),
    events: z.array(z.object({ id: z.string(), type: z.string(), accepted_at: timestamp() })),
    messages: z.array(
      z.object({
        delivery_id: z.string(),
        event_id: z.string(),
        event_type: z.string(),
        destination_id: z.string(),
        destination_name: z.string(),
        destination_kind: z.string(),
        action: z.string().nullable().openapi({ description: 'new, thread, update or update_and_thread' }),
        status: z.string(),
        is_root: z.boolean().openapi({ description: "This message is the subject's root in its destination" }),
        channel: z.string().nullable(),
        ts: z.string().nullable(),
        permalink: z.string().nullable(),
        sent_at: timestamp().nullable(),
      }),
    ),
  })
  .openapi('SubjectHistory');

export function subjectRoutes(ctx: AppContext) {
  const r = createRouter();
  r.openapi(
    createRoute({
      method: 'get',
      path: '/v1/subjects/{subject}',
      tags: ['Events'],
      security: bearerSecurity,
      summary: 'The messages a subject produced, with permalinks (URL-encode the subject, e.g. approval%3Adeploy-42)',
      request: { params: z.object({ subject: z.string().min(1).max(255).openapi({ param: { name: 'subject', in: 'path' }, example: 'approval:deploy-42' }) }) },
      responses: { 200: { description: 'The history', content: { 'application/json': { schema: SubjectHistorySchema } } }, ...errorResponses },
    }),
    async (c) => c.json(await getSubjectHistory(ctx, await scopedProject(ctx, c), c.req.valid('param').subject), 200),
  );
  return r;
}
