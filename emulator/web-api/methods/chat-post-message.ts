/**
 * chat.postMessage [D-POST][REF]: posts as the app's bot (or as the person, with a user token) to a
 * channel, a DM (by user id) or a thread. Needs chat:write; chat:write.public to post in public
 * channels without joining; chat:write.customize for `username` / `icon_*` (ignored without it).
 * Text over 40,000 characters is truncated ("Slack truncates > 40,000" [D-POST], sheet §11.11).
 * Each post takes one token from the channel's pace and the workspace's cap.
 */
import { postMessage, type Poster } from '../../state/message-store.ts';
import { MessageSource } from '../../state/model.ts';
import { messageJson } from '../message-json.ts';
import { readNewMessageContent, truncateText } from '../read-message-content.ts';
import { assertCanPost, callerUserId, callerWorkspace, resolveChannel } from '../resolve-channel.ts';
import { SlackRateLimited } from '../slack-api-error.ts';
import { MethodAuth, type MethodContext, type WebApiMethod } from '../web-api-method.ts';

export const MAX_POSTED_TEXT = 40_000;

/** Who a post is from: the bot (with optional customisation) or the person behind a user token. */
export function posterFor(ctx: MethodContext): Poster {
  const inst = ctx.grant.installation;
  if (ctx.grant.token.kind !== 'bot' || !inst) return { userId: callerUserId(ctx), appId: ctx.grant.app.id };
  const poster: Poster = { userId: inst.botUserId, botId: inst.botId, appId: inst.appId };
  if (ctx.grant.scopes.has('chat:write.customize')) {
    poster.username = ctx.args.string('username');
    poster.iconEmoji = ctx.args.string('icon_emoji');
    poster.iconUrl = ctx.args.string('icon_url');
  }
  return poster;
}

export const chatPostMessage: WebApiMethod = {
  auth: MethodAuth.token,
  scopes: ['chat:write'],
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const channel = resolveChannel(ctx, ctx.args.string('channel'), { allowUserId: true });
    assertCanPost(ctx, channel);
    const content = readNewMessageContent(ctx.args);
    content.text = truncateText(content.text, MAX_POSTED_TEXT);
    const pace = ctx.limits.takePost(ws.id, ctx.grant.app.id, channel.id);
    if (!pace.ok) throw new SlackRateLimited(pace.retryAfter);
    const message = postMessage(ctx.state, channel, posterFor(ctx), content, {
      threadTs: ctx.args.string('thread_ts'),
      replyBroadcast: ctx.args.bool('reply_broadcast'),
      unfurlLinks: ctx.args.bool('unfurl_links'),
      unfurlMedia: ctx.args.bool('unfurl_media'),
      source: MessageSource.webApi,
    });
    return { channel: channel.id, ts: message.ts, message: messageJson(ctx.state, message) };
  },
};
