/**
 * The shape of one event as the host app sends it to POST /v1/events, with the limits that keep
 * a single event small enough to render and store. Used for validation and the OpenAPI document.
 */
import { z } from '@hono/zod-openapi';
import { SEVERITIES } from '../event-types/severity.ts';

export const MAX_DATA_BYTES = 64 * 1024;
export const MAX_BATCH_EVENTS = 500;
/** Furthest ahead an event may be scheduled: a year. */
export const MAX_DELIVER_AHEAD_MS = 366 * 86_400_000;

const isoDateTime = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-11-25T10:00:00Z' });

export const EventInputSchema = z
  .object({
    type: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'must be lowercase dotted words such as approval.created')
      .openapi({ example: 'approval.created' }),
    data: z
      .record(z.string(), z.unknown())
      .default({})
      .refine((d) => JSON.stringify(d).length <= MAX_DATA_BYTES, { message: `must be at most ${MAX_DATA_BYTES} bytes as JSON` })
      .openapi({
        example: { key: 'deploy-42', action: 'Deploy api v1.4.2 to production', requester: 'Alice' },
        description: "The event's data: the fields its type's data schema declares (GET /v1/event-types/{name}); a missing or mistyped field is refused with 422 data_invalid",
      }),
    key: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .openapi({ description: 'Idempotency key: the same key again returns the first result and creates nothing new. Use a new one per distinct event (e.g. deploy-42-approved); there is no default.' }),
    subject: z.string().min(1).max(255).optional().openapi({ description: 'What the event is about, e.g. approval:deploy-42', example: 'approval:deploy-42' }),
    severity: z.enum(SEVERITIES).optional(),
    occurred_at: isoDateTime.optional(),
    deliver_at: isoDateTime.optional().openapi({ description: 'Send no earlier than this time (at most a year ahead).' }),
    ttl: z
      .number()
      .int()
      .min(1)
      .max(90 * 86_400)
      .nullable()
      .optional()
      .openapi({ description: "Seconds the message stays worth sending; null: never expires. Default: the event type's." }),
  })
  .strict()
  // The whole-body example leaves out `key`: a fixed idempotency key in /docs "Try it out" would
  // make every click after the first a replay of it.
  .openapi('EventInput', {
    example: {
      type: 'approval.created',
      data: { key: 'deploy-42', action: 'Deploy api v1.4.2 to production', requester: 'Alice' },
      subject: 'approval:deploy-42',
    },
  });

export type EventInput = z.infer<typeof EventInputSchema>;

export const EventBatchSchema = z
  .object({ events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS) })
  .strict()
  .openapi('EventBatch');
