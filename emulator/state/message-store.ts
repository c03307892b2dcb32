/**
 * Messages in channels: posting (top level, in a thread, broadcast to the channel), editing with
 * history, deleting, and ephemeral messages. The Web API methods, webhooks and scheduled messages
 * all post through here, so the page and the control API see one consistent timeline.
 */
import type { EmulatorState } from './emulator-state.ts';
import type { Channel, EphemeralMessage, Message, MessageSource } from './model.ts';

export interface MessageContent {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
}

/** Who a message is from, as a message stores it. */
export type Poster = Pick<Message, 'userId' | 'botId' | 'appId' | 'username' | 'iconEmoji' | 'iconUrl'>;

export interface PostOptions {
  threadTs?: string;
  replyBroadcast?: boolean;
  unfurlLinks?: boolean;
  unfurlMedia?: boolean;
  source: MessageSource;
  webhookId?: string;
}

/**
 * The parent a reply attaches to: a reply to a reply joins the parent's thread, as in Slack. A
 * deleted parent keeps its thread only while replies hang off it (its tombstone); one deleted
 * with no replies is gone, and Slack then posts the "reply" in the channel, answering ok.
 */
function threadParent(channel: Channel, threadTs: string | undefined): Message | undefined {
  if (!threadTs) return undefined;
  const target = channel.messages.get(threadTs);
  if (!target) return undefined;
  const parent = target.threadTs ? channel.messages.get(target.threadTs) : target;
  if (parent?.deleted && !parent.replies.some((r) => !r.deleted)) return undefined;
  return parent;
}

export function postMessage(state: EmulatorState, channel: Channel, poster: Poster, content: MessageContent, options: PostOptions): Message {
  const parent = threadParent(channel, options.threadTs);
  const message: Message = {
    ts: state.ids.ts(state.now()),
    channelId: channel.id,
    teamId: channel.teamId,
    userId: poster.userId,
    botId: poster.botId,
    appId: poster.appId,
    username: poster.username,
    iconEmoji: poster.iconEmoji,
    iconUrl: poster.iconUrl,
    text: content.text,
    blocks: content.blocks,
    attachments: content.attachments,
    metadata: content.metadata,
    threadTs: parent?.ts,
    replies: [],
    replyBroadcast: Boolean(parent && options.replyBroadcast),
    unfurlLinks: options.unfurlLinks,
    unfurlMedia: options.unfurlMedia,
    history: [],
    deleted: false,
    source: options.source,
    webhookId: options.webhookId,
  };
  channel.messages.set(message.ts, message);
  if (parent) {
    parent.replies.push(message);
    // A broadcast reply is also shown in the channel [D-POST reply_broadcast].
    if (message.replyBroadcast) channel.timeline.push(message);
  } else {
    channel.timeline.push(message);
  }
  state.changed();
  return message;
}

/** A message that can still be seen (not deleted), by ts. */
export function findMessage(channel: Channel, ts: string): Message | undefined {
  const message = channel.messages.get(ts);
  return message && !message.deleted ? message : undefined;
}

export interface MessageChange {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
}

/**
 * Applies chat.update: fields left out keep their value; `blocks: []` / `attachments: []` remove
 * them [D-UPD]. The previous version is kept for the control API.
 */
export function updateMessage(state: EmulatorState, message: Message, editorUserId: string, change: MessageChange): Message {
  message.history.push({ ts: message.edited?.ts ?? message.ts, text: message.text, blocks: message.blocks, attachments: message.attachments });
  if (change.text !== undefined) message.text = change.text;
  if (change.blocks !== undefined) message.blocks = change.blocks.length ? change.blocks : undefined;
  if (change.attachments !== undefined) message.attachments = change.attachments.length ? change.attachments : undefined;
  if (change.metadata !== undefined) {
    const empty = typeof change.metadata === 'object' && change.metadata !== null && Object.keys(change.metadata).length === 0;
    message.metadata = empty ? undefined : change.metadata;
  }
  message.edited = { user: editorUserId, ts: state.ids.ts(state.now()) };
  state.changed();
  return message;
}

export function deleteMessage(state: EmulatorState, message: Message): void {
  message.deleted = true;
  state.changed();
}

export function postEphemeral(
  state: EmulatorState,
  channel: Channel,
  recipientUserId: string,
  poster: { botUserId: string; appId: string },
  content: MessageContent,
  threadTs?: string,
): EphemeralMessage {
  const message: EphemeralMessage = {
    messageTs: state.ids.ts(state.now()),
    channelId: channel.id,
    userId: recipientUserId,
    botUserId: poster.botUserId,
    appId: poster.appId,
    text: content.text,
    blocks: content.blocks,
    attachments: content.attachments,
    threadTs,
  };
  channel.ephemeral.push(message);
  state.changed();
  return message;
}
