/**
 * chat.postEphemeral [D-EPH][REF]: a message only one person in the channel sees. The person must be
 * in the channel (user_not_in_channel); the answer's message_ts cannot be updated. Text over 4,000
 * characters is msg_too_long ("A single message should be no larger than 4,000 bytes"; we count
 * characters, sheet §11.4).
 */
import { postEphemeral } from '../../state/message-store.ts';
import { readNewMessageContent, textLength } from '../read-message-content.ts';
import { assertCanPost, callerWorkspace, resolveChannel } from '../resolve-channel.ts';
import { SlackApiError } from '../slack-api-error.ts';
import { MethodAuth, type WebApiMethod } from '../web-api-method.ts';

export const MAX_EPHEMERAL_TEXT = 4_000;

export const chatPostEphemeral: WebApiMethod = {
  auth: MethodAuth.token,
  scopes: ['chat:write'],
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const channel = resolveChannel(ctx, ctx.args.string('channel'));
    assertCanPost(ctx, channel);
    const userRef = ctx.args.string('user');
    const user = userRef ? ws.users.get(userRef) : undefined;
    if (!user || user.deleted) throw new SlackApiError('user_not_found');
    if (!channel.members.has(user.id)) throw new SlackApiError('user_not_in_channel');
    const content = readNewMessageContent(ctx.args);
    if (textLength(content.text) > MAX_EPHEMERAL_TEXT) throw new SlackApiError('msg_too_long');
    const inst = ctx.grant.installation;
    const message = postEphemeral(
      ctx.state,
      channel,
      user.id,
      { botUserId: inst?.botUserId ?? (ctx.grant.token.userId as string), appId: ctx.grant.app.id },
      content,
      ctx.args.string('thread_ts'),
    );
    return { message_ts: message.messageTs };
  },
};
