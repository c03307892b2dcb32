/**
 * chat.update, chat.delete and chat.getPermalink [D-UPD][REF]. Only the app (or person) that posted
 * a message may change it (cant_update_message / cant_delete_message); an ephemeral message's
 * message_ts "cannot be used with chat.update" (message_not_found) [D-EPH]; chat.update text over
 * 4,000 characters is msg_too_long ("The text field cannot exceed 4,000 characters" [D-UPD]).
 */
import { deleteMessage, findMessage, updateMessage } from '../../state/message-store.ts';
import type { Channel, Message } from '../../state/model.ts';
import { messageJson } from '../message-json.ts';
import { readAttachments, readBlocks, readMetadata, textLength } from '../read-message-content.ts';
import { callerUserId, resolveChannel } from '../resolve-channel.ts';
import { SlackApiError } from '../slack-api-error.ts';
import { MethodAuth, type MethodContext, type WebApiMethod } from '../web-api-method.ts';

export const MAX_UPDATE_TEXT = 4_000;

function isAuthor(ctx: MethodContext, message: Message): boolean {
  const inst = ctx.grant.installation;
  if (ctx.grant.token.kind === 'bot' && inst) return message.botId === inst.botId;
  return message.userId === callerUserId(ctx) && !message.botId;
}

/** The message named by `channel` and `ts`, which must be the caller's own (else `notAuthor`). */
function ownMessage(ctx: MethodContext, notAuthor: string): { channel: Channel; message: Message } {
  const channel = resolveChannel(ctx, ctx.args.string('channel'));
  const ts = ctx.args.string('ts');
  const message = ts ? findMessage(channel, ts) : undefined;
  if (!message) throw new SlackApiError('message_not_found');
  if (!isAuthor(ctx, message)) throw new SlackApiError(notAuthor);
  return { channel, message };
}

export const chatUpdate: WebApiMethod = {
  auth: MethodAuth.token,
  scopes: ['chat:write'],
  handler(ctx) {
    const { channel, message } = ownMessage(ctx, 'cant_update_message');
    if (channel.isArchived) throw new SlackApiError('is_inactive');
    const text = ctx.args.string('text') ?? ctx.args.string('markdown_text');
    const blocks = readBlocks(ctx.args);
    const attachments = readAttachments(ctx.args);
    const metadata = readMetadata(ctx.args);
    if (text === undefined && blocks === undefined && attachments === undefined) throw new SlackApiError('no_text');
    if (text !== undefined && textLength(text) > MAX_UPDATE_TEXT) throw new SlackApiError('msg_too_long');
    updateMessage(ctx.state, message, callerUserId(ctx), { text, blocks, attachments, metadata });
    const json = messageJson(ctx.state, message);
    return { channel: channel.id, ts: message.ts, text: message.text, message: json };
  },
};

export const chatDelete: WebApiMethod = {
  auth: MethodAuth.token,
  scopes: ['chat:write'],
  handler(ctx) {
    const { channel, message } = ownMessage(ctx, 'cant_delete_message');
    deleteMessage(ctx.state, message);
    return { channel: channel.id, ts: message.ts };
  },
};

/** Permalinks point at the emulator: <origin>/archives/<channel>/p<ts without the dot>, like Slack's. */
export const chatGetPermalink: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    const channel = resolveChannel(ctx, ctx.args.string('channel'));
    const ts = ctx.args.string('message_ts');
    const message = ts ? findMessage(channel, ts) : undefined;
    if (!message) throw new SlackApiError('message_not_found');
    let permalink = `${ctx.origin}/archives/${channel.id}/p${message.ts.replace('.', '')}`;
    if (message.threadTs) permalink += `?thread_ts=${message.threadTs}&cid=${channel.id}`;
    return { channel: channel.id, permalink };
  },
};
