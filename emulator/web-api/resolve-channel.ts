/**
 * Finding the conversation a call names, and whether the caller may post there. Private
 * conversations the caller is not in do not exist for it (channel_not_found); a public channel the
 * bot has not joined answers not_in_channel unless the token has chat:write.public ("post in public
 * channels without joining") [D-POST].
 */
import { openIm } from '../state/direct-messages.ts';
import type { Channel, Workspace } from '../state/model.ts';
import { SlackApiError } from './slack-api-error.ts';
import type { MethodContext } from './web-api-method.ts';

export function callerWorkspace(ctx: MethodContext): Workspace {
  const ws = ctx.grant.workspace;
  if (!ws) throw new SlackApiError('not_allowed_token_type');
  return ws;
}

/** The user id behind the token: the bot user for bot tokens, the person for user tokens. */
export function callerUserId(ctx: MethodContext): string {
  return ctx.grant.token.userId as string;
}

export interface ResolveOptions {
  /** chat.postMessage accepts a user id and posts to the app's DM with that person. */
  allowUserId?: boolean;
}

export function resolveChannel(ctx: MethodContext, ref: string | undefined, options: ResolveOptions = {}): Channel {
  const ws = callerWorkspace(ctx);
  if (!ref) throw new SlackApiError('channel_not_found');
  const viewer = callerUserId(ctx);
  if (options.allowUserId && /^[UW]/.test(ref)) {
    const user = ws.users.get(ref);
    if (user && !user.deleted && !user.isBot && ctx.grant.token.kind === 'bot') return openIm(ctx.state, ws, viewer, user).channel;
  }
  const channel = ctx.state.findChannel(ws, ref);
  if (!channel || channel.deleted) throw new SlackApiError('channel_not_found');
  if (channel.kind !== 'public' && !channel.members.has(viewer)) throw new SlackApiError('channel_not_found');
  return channel;
}

export function assertCanPost(ctx: MethodContext, channel: Channel): void {
  if (channel.isArchived) throw new SlackApiError('is_archived');
  if (channel.members.has(callerUserId(ctx))) return;
  const isBot = ctx.grant.token.kind === 'bot';
  if (channel.kind === 'public' && isBot && ctx.grant.scopes.has('chat:write.public')) return;
  throw new SlackApiError('not_in_channel');
}
