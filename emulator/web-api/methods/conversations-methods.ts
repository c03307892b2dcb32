/**
 * conversations.list, conversations.info, conversations.join and conversations.open [REF].
 * Reading a conversation needs the scope of its type (channels:read, groups:read, im:read,
 * mpim:read); list pages with `cursor` / `response_metadata.next_cursor` and `limit` (default 100,
 * "must be an integer under 1000"); join works on public channels only; open needs im:write
 * (mpim:write for several people).
 */
import { openIm, openMpim } from '../../state/direct-messages.ts';
import { CONVERSATION_TYPE_OF_KIND, type Channel, type ChannelKind, type User } from '../../state/model.ts';
import { conversationJson } from '../conversation-json.ts';
import { callerUserId, callerWorkspace, resolveChannel } from '../resolve-channel.ts';
import { SlackApiError } from '../slack-api-error.ts';
import { MethodAuth, requireScope, type MethodContext, type WebApiMethod } from '../web-api-method.ts';

const READ_SCOPE_OF_KIND = {
  public: 'channels:read',
  private: 'groups:read',
  im: 'im:read',
  mpim: 'mpim:read',
} as const satisfies Record<ChannelKind, string>;

const KIND_OF_TYPE: Record<string, ChannelKind> = Object.fromEntries(Object.entries(CONVERSATION_TYPE_OF_KIND).map(([kind, type]) => [type, kind as ChannelKind]));

export const MAX_LIST_LIMIT = 1000;
const DEFAULT_LIST_LIMIT = 100;

function visibleTo(channel: Channel, userId: string): boolean {
  if (channel.deleted) return false;
  return channel.kind === 'public' || channel.members.has(userId);
}

function encodeCursor(channelId: string): string {
  return Buffer.from(`channel:${channelId}`).toString('base64');
}

function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  return text.startsWith('channel:') ? text.slice('channel:'.length) : undefined;
}

export const conversationsList: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const viewer = callerUserId(ctx);
    const types = ctx.args.list('types') ?? ['public_channel'];
    const kinds = new Set<ChannelKind>();
    for (const type of types) {
      const kind = KIND_OF_TYPE[type];
      if (!kind) throw new SlackApiError('invalid_types');
      requireScope(ctx, READ_SCOPE_OF_KIND[kind]);
      kinds.add(kind);
    }
    const limitArg = ctx.args.int('limit');
    if (limitArg !== undefined && (Number.isNaN(limitArg) || limitArg < 0)) throw new SlackApiError('invalid_limit');
    const limit = Math.min(limitArg || DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
    const excludeArchived = ctx.args.bool('exclude_archived') ?? false;
    const all = ws.channelOrder.filter((c) => kinds.has(c.kind) && visibleTo(c, viewer) && !(excludeArchived && c.isArchived));
    let start = 0;
    const cursor = ctx.args.string('cursor');
    if (cursor) {
      const id = decodeCursor(cursor);
      start = id ? all.findIndex((c) => c.id === id) : -1;
      if (start < 0) throw new SlackApiError('invalid_cursor');
    }
    const page = all.slice(start, start + limit);
    const next = all[start + limit];
    return {
      channels: page.map((c) => conversationJson(c, viewer)),
      response_metadata: { next_cursor: next ? encodeCursor(next.id) : '' },
    };
  },
};

export const conversationsInfo: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    const channel = resolveChannel(ctx, ctx.args.string('channel'));
    requireScope(ctx, READ_SCOPE_OF_KIND[channel.kind]);
    return { channel: conversationJson(channel, callerUserId(ctx)) };
  },
};

export const conversationsJoin: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    // Bot tokens join with channels:join, user tokens with channels:write [REF].
    requireScope(ctx, 'channels:join', 'channels:write');
    const channel = resolveChannel(ctx, ctx.args.string('channel'));
    if (channel.kind !== 'public') throw new SlackApiError('method_not_supported_for_channel_type');
    if (channel.isArchived) throw new SlackApiError('is_archived');
    const viewer = callerUserId(ctx);
    if (channel.members.has(viewer)) {
      return {
        channel: conversationJson(channel, viewer),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      };
    }
    channel.members.add(viewer);
    ctx.state.changed();
    return { channel: conversationJson(channel, viewer) };
  },
};

/** conversations.open takes at most 8 people besides the caller [REF]. */
export const MAX_OPEN_USERS = 8;

function openedJson(channel: Channel, created: boolean, full: boolean, viewer: string): Record<string, unknown> {
  const json = full ? conversationJson(channel, viewer) : { id: channel.id };
  return created ? { channel: json } : { no_op: true, already_open: true, channel: json };
}

export const conversationsOpen: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx: MethodContext) {
    const ws = callerWorkspace(ctx);
    const viewer = callerUserId(ctx);
    const full = ctx.args.bool('return_im') ?? false;
    const channelRef = ctx.args.string('channel');
    const userRefs = ctx.args.list('users');
    if (channelRef && !userRefs) {
      const channel = ws.channels.get(channelRef);
      if (!channel || channel.deleted || (channel.kind !== 'im' && channel.kind !== 'mpim') || !channel.members.has(viewer)) {
        throw new SlackApiError('channel_not_found');
      }
      return openedJson(channel, false, full, viewer);
    }
    if (!userRefs || userRefs.length === 0) throw new SlackApiError('users_list_not_supplied');
    if (userRefs.length > MAX_OPEN_USERS) throw new SlackApiError('too_many_users');
    const people: User[] = userRefs.map((ref) => {
      const user = ws.users.get(ref);
      if (!user || user.deleted) throw new SlackApiError('user_not_found');
      return user;
    });
    const others = people.filter((u) => u.id !== viewer);
    if (others.length === 0) throw new SlackApiError('not_enough_users');
    if (others.length === 1) {
      requireScope(ctx, 'im:write');
      const { channel, created } = openIm(ctx.state, ws, viewer, others[0]);
      return openedJson(channel, created, full, viewer);
    }
    requireScope(ctx, 'mpim:write');
    const { channel, created } = openMpim(ctx.state, ws, viewer, others);
    return openedJson(channel, created, full, viewer);
  },
};
