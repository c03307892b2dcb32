/** The delivery queue of the calling project: list, inspect with the audit log, retry and cancel. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app-context.ts';
import { MAX_CHUNK } from '../../deliveries/bulk-selection.ts';
import { cancelDeliveries } from '../../deliveries/cancel-deliveries.ts';
import { cancelAnyDelivery } from '../../deliveries/cancel-scheduled-delivery.ts';
import { getDelivery, listDeliveries } from '../../deliveries/delivery-queries.ts';
import { DELIVERY_STATUSES, RETRYABLE_STATUSES, type DeliveryStatus } from '../../deliveries/delivery-statuses.ts';
import { retryDeliveries, retryDelivery } from '../../deliveries/retry-deliveries.ts';
import { ValidationError } from '../../errors.ts';
import { bearerSecurity, createRouter, scopedProject } from '../router.ts';
import { BulkCancelResultSchema, BulkRetryResultSchema, DeliveryDetailSchema, DeliverySchema, errorResponse, errorResponses } from '../schemas.ts';

const Params = z.object({ delivery_id: z.string().openapi({ param: { name: 'delivery_id', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const tags = ['Deliveries'];
const isoDateTime = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-11-25T10:00:00Z' });
const chunking = {
  limit: z.number().int().min(1).max(MAX_CHUNK).optional().openapi({ description: 'Work in chunks of this many (with `cursor`), e.g. to show progress; all at once when omitted' }),
  cursor: z.string().optional().openapi({ description: '`next_cursor` of the previous call' }),
};
const conflict = {
  409: errorResponse(
    'Not possible in the delivery’s current status (the message says why)',
    { code: 'delivery_not_retryable', message: 'Delivery dlv_01jf3z8n5q0000000000000000 was sent: only failed, dead, expired or cancelled deliveries can be retried' },
    { code: 'delivery_not_cancellable', message: 'Delivery dlv_01jf3z8n5q0000000000000000 was sent. Only deliveries waiting to be sent (pending or held) can be cancelled.' },
  ),
};

const BulkRetryInput = z
  .object({
    destination_id: z.string().min(1),
    since: isoDateTime.openapi({ description: 'Deliveries accepted at or after this time' }),
    until: isoDateTime.optional().openapi({ description: 'and before this time' }),
    statuses: z.array(z.enum(RETRYABLE_STATUSES)).min(1).optional().openapi({ description: 'Default: ["dead"]' }),
    ...chunking,
  })
  .strict()
  .openapi('BulkRetryInput');

const BulkCancelInput = z
  .object({
    destination_id: z.string().min(1).optional(),
    event_id: z.string().min(1).optional(),
    before: isoDateTime.optional().openapi({ description: 'Deliveries accepted before this time' }),
    ...chunking,
  })
  .strict()
  .openapi('BulkCancelInput', { description: 'At least one of destination_id, event_id, before; all given must match' });

function parseStatuses(raw: string | undefined): DeliveryStatus[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of list) {
    if (!(DELIVERY_STATUSES as readonly string[]).includes(s)) {
      throw new ValidationError(`Invalid request: status: ${JSON.stringify(s)} is not one of ${DELIVERY_STATUSES.join(', ')}`, { field: 'status' });
    }
  }
  return list as DeliveryStatus[];
}

export function deliveryRoutes(ctx: AppContext) {
  const r = createRouter();
  const changed = (count: number) => {
    if (count > 0) ctx.onDeliveriesChanged?.();
  };

  r.openapi(
    createRoute({ method: 'get', path: '/v1/deliveries', tags, security: bearerSecurity, summary: 'List deliveries, newest first',
      description: 'Filters combine. Pages with `limit` and `next_cursor`.',
      request: { query: z.object({
        status: z.string().optional().openapi({ example: 'dead,failed', description: `Comma-separated: ${DELIVERY_STATUSES.join(', ')}` }),
        destination_id: z.string().optional(),
        event_type: z.string().optional().openapi({ example: 'approval.created' }),
        since: isoDateTime.optional().openapi({ description: 'Accepted at or after this time' }),
        until: isoDateTime.optional().openapi({ description: 'Accepted before this time' }),
        limit: z.coerce.number().int().min(1).max(200).optional(),
        cursor: z.string().optional(),
      }) },
      responses: { 200: json(z.object({ deliveries: z.array(DeliverySchema), next_cursor: z.string().nullable() }), 'A page of deliveries'), ...errorResponses } }),
    async (c) => {
      const { status, ...query } = c.req.valid('query');
      return c.json(await listDeliveries(ctx.db, await scopedProject(ctx, c), { ...query, status: parseStatuses(status) }), 200);
    },
  );

  r.openapi(
    createRoute({ method: 'get', path: '/v1/deliveries/{delivery_id}', tags, security: bearerSecurity,
      summary: 'Get a delivery with every attempt (oldest first) and its destination’s status',
      request: { params: Params }, responses: { 200: json(DeliveryDetailSchema, 'The delivery'), ...errorResponses } }),
    async (c) => c.json(await getDelivery(ctx.db, await scopedProject(ctx, c), c.req.valid('param').delivery_id), 200),
  );

  r.openapi(
    createRoute({ method: 'post', path: '/v1/deliveries/{delivery_id}/retry', tags, security: bearerSecurity,
      summary: 'Send a dead, failed, expired or cancelled delivery again, or a pending one waiting on its retry backoff now',
      description: 'A finished delivery goes back to its original place in its destination’s line, due now: an old delivery becomes the head again and goes before newer ones still waiting. ' +
        'A pending delivery waiting on its retry backoff (after a failed try) is made due now, keeping its place in line and its retry window ("retry now"). ' +
        'Sent, sending and held deliveries, and pending ones waiting for their turn, are refused with 409.',
      request: { params: Params }, responses: { 200: json(DeliverySchema, 'The delivery, pending and due now'), ...errorResponses, ...conflict } }),
    async (c) => {
      const delivery = await retryDelivery(ctx.db, await scopedProject(ctx, c), c.req.valid('param').delivery_id);
      changed(1);
      return c.json(delivery, 200);
    },
  );

  r.openapi(
    createRoute({ method: 'post', path: '/v1/deliveries/{delivery_id}/cancel', tags, security: bearerSecurity,
      summary: 'Cancel a delivery still waiting to be sent (pending or held), or a message scheduled in Slack (chat.deleteScheduledMessage)',
      request: { params: Params }, responses: { 200: json(DeliverySchema, 'The delivery, cancelled'), ...errorResponses, ...conflict } }),
    async (c) => {
      const { delivery, queueChanged } = await cancelAnyDelivery(ctx, await scopedProject(ctx, c), c.req.valid('param').delivery_id);
      if (queueChanged) changed(1);
      ctx.metrics?.deliveriesCancelled(1);
      return c.json(delivery, 200);
    },
  );

  r.openapi(
    createRoute({ method: 'post', path: '/v1/deliveries/retry', tags, security: bearerSecurity,
      summary: 'Send again all of one destination’s dead-lettered (or other finished) deliveries accepted since a time',
      description: 'Oldest first, each back in its original place in the line. With `limit`, works in chunks: call again with `cursor` until `next_cursor` is null; the line waits for the next chunk (up to 60 s) so order is kept.',
      request: body(BulkRetryInput), responses: { 200: json(BulkRetryResultSchema, 'What was retried'), ...errorResponses } }),
    async (c) => {
      const result = await retryDeliveries(ctx.db, await scopedProject(ctx, c), c.req.valid('json'));
      changed(result.delivery_ids.length);
      return c.json({ retried: result.delivery_ids.length, ...result }, 200);
    },
  );

  r.openapi(
    createRoute({ method: 'post', path: '/v1/deliveries/cancel', tags, security: bearerSecurity,
      summary: 'Cancel the waiting deliveries of a destination, of an event, and/or accepted before a time',
      description: 'Only pending and held deliveries are cancelled; ones being sent right now are left alone. With `limit`, works in chunks like bulk retry.',
      request: body(BulkCancelInput), responses: { 200: json(BulkCancelResultSchema, 'What was cancelled'), ...errorResponses } }),
    async (c) => {
      const result = await cancelDeliveries(ctx.db, await scopedProject(ctx, c), c.req.valid('json'));
      changed(result.delivery_ids.length);
      ctx.metrics?.deliveriesCancelled(result.delivery_ids.length);
      return c.json({ cancelled: result.delivery_ids.length, ...result }, 200);
    },
  );

  return r;
}
