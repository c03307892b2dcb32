/**
 * chat.scheduleMessage, chat.deleteScheduledMessage and chat.scheduledMessages.list [D-SCHED][D-DELS].
 * Rules: post_at must be in the future (time_in_past) and at most 120 days ahead (time_too_far);
 * "max 30 messages scheduled to post within any 5-minute window to the same channel"
 * (restricted_too_many); a message due within 60 seconds can no longer be deleted
 * (invalid_scheduled_message_id). Quirk kept on purpose: "messages scheduled with metadata will not
 * post" [D-SCHED] — they are accepted and listed, then dropped when due.
 */
import { cancelScheduledMessage, pendingScheduled, scheduleMessage } from '../../state/scheduled-messages.ts';
import { botProfileJson } from '../message-json.ts';
import { readNewMessageContent, truncateText } from '../read-message-content.ts';
import { assertCanPost, callerUserId, callerWorkspace, resolveChannel } from '../resolve-channel.ts';
import { SlackApiError } from '../slack-api-error.ts';
import { MethodAuth, type WebApiMethod } from '../web-api-method.ts';
import { MAX_POSTED_TEXT } from './chat-post-message.ts';

export const MAX_SCHEDULE_AHEAD_SECONDS = 120 * 24 * 3600;
export const SCHEDULE_WINDOW_SECONDS = 5 * 60;
export const MAX_SCHEDULED_PER_WINDOW = 30;
export const DELETE_CUTOFF_SECONDS = 60;

/** Whether one more message at postAt would put 31 in some 5-minute window. */
function windowIsFull(postAts: number[], postAt: number): boolean {
  // Every window containing postAt starts within (postAt - 300, postAt]; check each one that starts at an existing time or at postAt.
  const starts = [postAt, ...postAts.filter((t) => t > postAt - SCHEDULE_WINDOW_SECONDS && t <= postAt)];
  return starts.some((start) => postAts.filter((t) => t >= start && t < start + SCHEDULE_WINDOW_SECONDS).length >= MAX_SCHEDULED_PER_WINDOW);
}

export const chatScheduleMessage: WebApiMethod = {
  auth: MethodAuth.token,
  scopes: ['chat:write'],
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const channel = resolveChannel(ctx, ctx.args.string('channel'));
    const postAt = ctx.args.int('post_at');
    if (postAt === undefined || Number.isNaN(postAt)) throw new SlackApiError('invalid_time');
    const now = ctx.state.nowSeconds();
    if (postAt <= now) throw new SlackApiError('time_in_past');
    if (postAt > now + MAX_SCHEDULE_AHEAD_SECONDS) throw new SlackApiError('time_too_far');
    assertCanPost(ctx, channel);
    const content = readNewMessageContent(ctx.args);
    const existing = pendingScheduled(ctx.state, ws.id, channel.id).map((m) => m.postAt);
    if (windowIsFull(existing, postAt)) throw new SlackApiError('restricted_too_many');
    const inst = ctx.grant.installation;
    const botUserId = inst?.botUserId ?? callerUserId(ctx);
    const botId = inst?.botId ?? '';
    const scheduled = scheduleMessage(ctx.state, {
      teamId: ws.id,
      channelId: channel.id,
      appId: ctx.grant.app.id,
      botUserId,
      botId,
      postAt,
      text: truncateText(content.text, MAX_POSTED_TEXT),
      blocks: content.blocks,
      attachments: content.attachments,
      metadata: content.metadata,
      threadTs: ctx.args.string('thread_ts'),
      replyBroadcast: ctx.args.bool('reply_broadcast') ?? false,
    });
    const message: Record<string, unknown> = { type: 'delayed_message', text: scheduled.text, user: botUserId, team: ws.id };
    if (botId) {
      message.bot_id = botId;
      message.bot_profile = botProfileJson(ctx.state, ws.id, ctx.grant.app.id, botId);
    }
    if (scheduled.blocks) message.blocks = scheduled.blocks;
    if (scheduled.attachments) message.attachments = scheduled.attachments;
    // The spec and @slack/web-api type post_at as an integer (one doc example shows a string, sheet §11.8).
    return { channel: channel.id, scheduled_message_id: scheduled.id, post_at: scheduled.postAt, message };
  },
};

export const chatDeleteScheduledMessage: WebApiMethod = {
  auth: MethodAuth.token,
  scopes: ['chat:write'],
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const channel = resolveChannel(ctx, ctx.args.string('channel'));
    const id = ctx.args.string('scheduled_message_id');
    const scheduled = id ? ctx.state.scheduled.get(id) : undefined;
    const now = ctx.state.nowSeconds();
    if (
      !scheduled ||
      scheduled.teamId !== ws.id ||
      scheduled.channelId !== channel.id ||
      scheduled.appId !== ctx.grant.app.id ||
      scheduled.state !== 'pending' ||
      scheduled.postAt - now <= DELETE_CUTOFF_SECONDS
    ) {
      throw new SlackApiError('invalid_scheduled_message_id');
    }
    cancelScheduledMessage(ctx.state, scheduled);
    return {};
  },
};

export const chatScheduledMessagesList: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const channelRef = ctx.args.string('channel');
    let channelId: string | undefined;
    if (channelRef) {
      const channel = ctx.state.findChannel(ws, channelRef);
      if (!channel || channel.deleted) throw new SlackApiError('invalid_channel');
      channelId = channel.id;
    }
    const latest = ctx.args.int('latest');
    const oldest = ctx.args.int('oldest');
    const limit = Math.min(Math.max(ctx.args.int('limit') || 100, 1), 1000);
    const cursor = ctx.args.string('cursor');
    let items = pendingScheduled(ctx.state, ws.id, channelId).filter(
      (m) => m.appId === ctx.grant.app.id && (latest === undefined || Number.isNaN(latest) || m.postAt <= latest) && (oldest === undefined || Number.isNaN(oldest) || m.postAt >= oldest),
    );
    if (cursor) {
      const start = items.findIndex((m) => m.id === Buffer.from(cursor, 'base64').toString('utf8').replace(/^scheduled:/, ''));
      if (start < 0) throw new SlackApiError('invalid_cursor');
      items = items.slice(start);
    }
    const page = items.slice(0, limit);
    const next = items[limit];
    return {
      scheduled_messages: page.map((m) => ({ id: m.id, channel_id: m.channelId, post_at: m.postAt, date_created: m.dateCreated, text: m.text })),
      response_metadata: { next_cursor: next ? Buffer.from(`scheduled:${next.id}`).toString('base64') : '' },
    };
  },
};
