/**
 * Incoming webhooks at `POST /services/T…/B…/<secret>`, like hooks.slack.com [D-WH]: a JSON body
 * (or a form field `payload` holding JSON) with text / blocks / attachments / thread_ts; the
 * channel, username and icon cannot be overridden. Success is HTTP 200 with the body `ok`; errors
 * are Slack's strings with their statuses (webhook-errors.ts). Posts share the channel's pace with
 * chat.postMessage ("applies to chat.postMessage, incoming webhooks, or any other way of posting"
 * [D-RATE]). Webhooks return no ts.
 */
import type { Context, Hono } from 'hono';
import { validateBlocks } from '../../src/slack/block-kit/validate-blocks.ts';
import { applyFault, type HangTimers } from '../faults/apply-fault.ts';
import type { FaultInjector } from '../faults/fault-injector.ts';
import { WEBHOOK_COUNTER, type CallCounters } from '../rate-limits/call-counters.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import type { EmulatorState } from '../state/emulator-state.ts';
import { postMessage } from '../state/message-store.ts';
import { MessageSource } from '../state/model.ts';
import { postDueScheduledMessages } from '../state/scheduled-messages.ts';
import { MAX_ATTACHMENTS, truncateText } from '../web-api/read-message-content.ts';
import { MAX_POSTED_TEXT } from '../web-api/methods/chat-post-message.ts';
import { webhookError, webhookErrorStatus, webhookText } from './webhook-errors.ts';

export interface WebhookDeps {
  state: EmulatorState;
  limits: RateLimiter;
  counters: CallCounters;
  faults: FaultInjector;
  hangs: HangTimers;
}

async function readPayload(c: Context): Promise<Record<string, unknown> | undefined> {
  const text = await c.req.text();
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  let raw = text;
  if (type.includes('application/x-www-form-urlencoded')) raw = new URLSearchParams(text).get('payload') ?? '';
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function handle(c: Context, deps: WebhookDeps): Promise<Response> {
  const { state, limits, counters, faults } = deps;
  const teamId = c.req.param('team') as string;
  const hookId = c.req.param('hook') as string;
  const secret = c.req.param('secret') as string;
  postDueScheduledMessages(state);
  counters.call(WEBHOOK_COUNTER, state.workspace(teamId) ? teamId : undefined);

  const fault = faults.takeForWebhook({ id: hookId, teamId, path: `/services/${teamId}/${hookId}/${secret}` });
  if (fault) {
    const outcome = await applyFault(c, fault, deps.hangs, (_c, f) => webhookError(f.error as string, f.status ?? webhookErrorStatus(f.error as string)));
    if ('respond' in outcome) return outcome.respond;
  }

  const ws = state.workspace(teamId);
  if (!ws) return webhookError('no_team');
  if (ws.disabled) return webhookError('team_disabled');
  if (!/^B[A-Z0-9]+$/.test(hookId)) return webhookError('no_service_id');
  const hook = state.webhooks.get(hookId);
  if (!hook || hook.teamId !== teamId || hook.removed) return webhookError('no_service');
  if (hook.secret !== secret) return webhookError('invalid_token');
  const inst = ws.installations.get(hook.appId);
  if (!inst || inst.uninstalled) return webhookError('no_service');
  const channel = ws.channels.get(hook.channelId);
  if (!channel || channel.deleted) return webhookError('channel_not_found');
  if (channel.isArchived) return webhookError('channel_is_archived');

  const payload = await readPayload(c);
  if (!payload) return webhookError('invalid_payload');
  const text = typeof payload.text === 'string' ? payload.text : undefined;
  const blocks = payload.blocks;
  if (blocks !== undefined && !Array.isArray(blocks)) return webhookError('invalid_blocks');
  if (Array.isArray(blocks) && blocks.length) {
    if (validateBlocks(blocks, 'message').length) return webhookError('invalid_blocks');
  }
  const attachments = payload.attachments;
  if (attachments !== undefined && !Array.isArray(attachments)) return webhookError('invalid_payload');
  if (Array.isArray(attachments) && attachments.length > MAX_ATTACHMENTS) return webhookError('too_many_attachments');
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (!text && !hasBlocks && !hasAttachments) return webhookError('no_text');

  const pace = limits.takePost(ws.id, hook.appId, channel.id);
  if (!pace.ok) {
    counters.limited(WEBHOOK_COUNTER, ws.id);
    return webhookText('rate_limited', 429, { 'retry-after': String(pace.retryAfter) });
  }
  postMessage(
    state,
    channel,
    { userId: inst.botUserId, botId: inst.botId, appId: inst.appId },
    {
      text: truncateText(text ?? '', MAX_POSTED_TEXT),
      blocks: hasBlocks ? (blocks as unknown[]) : undefined,
      attachments: hasAttachments ? (attachments as unknown[]) : undefined,
      metadata: payload.metadata,
    },
    {
      threadTs: typeof payload.thread_ts === 'string' ? payload.thread_ts : undefined,
      unfurlLinks: typeof payload.unfurl_links === 'boolean' ? payload.unfurl_links : undefined,
      unfurlMedia: typeof payload.unfurl_media === 'boolean' ? payload.unfurl_media : undefined,
      source: MessageSource.webhook,
      webhookId: hook.id,
    },
  );
  return webhookText('ok', 200);
}

export function registerWebhooks(app: Hono, deps: WebhookDeps): void {
  app.post('/services/:team/:hook/:secret', (c) => handle(c, deps));
}
