/**
 * The emulator state seen through the page's narrow PageSource interface: workspaces, their
 * channels (not deleted ones) and messages as a person would see them — top-level messages with
 * their thread replies, broadcast replies also in the channel, ephemeral messages labelled with
 * their one reader, deleted messages gone (or a tombstone when a thread hangs off them).
 */
import type { PageChannel, PageMessage, PageSource, PageWorkspace } from '../page/page-source.ts';
import type { EmulatorState } from './emulator-state.ts';
import type { Channel, EphemeralMessage, Message, Workspace } from './model.ts';

export const DELETED_TEXT = 'This message was deleted.';

function authorOf(ws: Workspace, userId: string, username?: string): { author: string; isBot: boolean } {
  const user = ws.users.get(userId);
  if (username) return { author: username, isBot: true };
  if (!user) return { author: userId, isBot: false };
  return { author: user.isBot ? user.realName : user.displayName || user.name, isBot: user.isBot };
}

function pageMessage(ws: Workspace, m: Message, inThread: boolean): PageMessage | undefined {
  const replies = inThread ? [] : m.replies.map((r) => pageMessage(ws, r, true)).filter((r): r is PageMessage => r !== undefined);
  if (m.deleted) {
    if (replies.length === 0) return undefined;
    return { ts: m.ts, author: '', isBot: false, text: DELETED_TEXT, edited: false, replies };
  }
  const out: PageMessage = { ts: m.ts, ...authorOf(ws, m.userId, m.username), text: m.text, edited: Boolean(m.edited), replies };
  if (m.blocks) out.blocks = m.blocks;
  if (m.attachments) out.attachments = m.attachments;
  if (m.replyBroadcast) out.broadcast = true;
  return out;
}

function ephemeralMessage(ws: Workspace, e: EphemeralMessage): PageMessage {
  const reader = ws.users.get(e.userId);
  const out: PageMessage = {
    ts: e.messageTs,
    ...authorOf(ws, e.botUserId),
    text: e.text,
    edited: false,
    ephemeralFor: reader ? reader.displayName || reader.name : e.userId,
    replies: [],
  };
  if (e.blocks) out.blocks = e.blocks;
  if (e.attachments) out.attachments = e.attachments;
  return out;
}

function pageChannel(ws: Workspace, ch: Channel): PageChannel {
  const messages = ch.timeline.map((m) => pageMessage(ws, m, m.threadTs !== undefined)).filter((m): m is PageMessage => m !== undefined);
  if (ch.ephemeral.length) {
    messages.push(...ch.ephemeral.map((e) => ephemeralMessage(ws, e)));
    messages.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }
  const name = ch.kind === 'im' ? (ws.users.get(ch.imUserId as string)?.name ?? ch.name) : ch.name;
  return { id: ch.id, name, isPrivate: ch.kind !== 'public', isArchived: ch.isArchived, isIm: ch.kind === 'im', messages };
}

export function statePageSource(state: EmulatorState): PageSource {
  return {
    workspaces(): PageWorkspace[] {
      return [...state.workspaces.values()].map((ws) => ({
        teamId: ws.id,
        name: ws.name,
        domain: ws.domain,
        channels: ws.channelOrder.filter((c) => !c.deleted).map((c) => pageChannel(ws, c)),
        users: [...ws.users.values()].map((u) => ({ id: u.id, name: u.displayName || u.realName || u.name })),
      }));
    },
    subscribe(listener: () => void): () => void {
      return state.subscribe(listener);
    },
  };
}
