/**
 * Direct messages: the IM between the app's bot and one person, and group DMs with several, created
 * on first use (conversations.open, or chat.postMessage to a user id) and found again afterwards.
 */
import type { EmulatorState } from './emulator-state.ts';
import type { Channel, User, Workspace } from './model.ts';

/** The IM between a bot and a person, created on first use (conversations.open, posting to a user id). */
export function openIm(state: EmulatorState, ws: Workspace, botUserId: string, user: User): { channel: Channel; created: boolean } {
  for (const ch of ws.channelOrder) {
    if (ch.kind === 'im' && ch.imUserId === user.id && ch.members.has(botUserId)) return { channel: ch, created: false };
  }
  const channel = addConversation(state, ws, botUserId, {
    id: state.ids.next('D'),
    name: user.name,
    kind: 'im',
    purpose: '',
    members: new Set([botUserId, user.id]),
    imUserId: user.id,
  });
  return { channel, created: true };
}

/** A group DM between a bot and several people. */
export function openMpim(state: EmulatorState, ws: Workspace, botUserId: string, people: User[]): { channel: Channel; created: boolean } {
  const wanted = new Set([botUserId, ...people.map((u) => u.id)]);
  for (const ch of ws.channelOrder) {
    if (ch.kind === 'mpim' && ch.members.size === wanted.size && [...wanted].every((m) => ch.members.has(m))) return { channel: ch, created: false };
  }
  const channel = addConversation(state, ws, botUserId, {
    id: state.ids.next('C'),
    name: `mpdm-${people.map((u) => u.name).join('--')}-1`,
    kind: 'mpim',
    purpose: `Group messaging with: ${people.map((u) => `@${u.name}`).join(' ')}`,
    members: wanted,
  });
  return { channel, created: true };
}

/** Stores a new conversation the bot opened, with no messages yet. */
function addConversation(
  state: EmulatorState,
  ws: Workspace,
  botUserId: string,
  fields: Pick<Channel, 'id' | 'name' | 'kind' | 'purpose' | 'members'> & Partial<Pick<Channel, 'imUserId'>>,
): Channel {
  const channel: Channel = {
    ...fields,
    teamId: ws.id,
    isArchived: false,
    isGeneral: false,
    deleted: false,
    created: state.nowSeconds(),
    creator: botUserId,
    topic: '',
    messages: new Map(),
    timeline: [],
    ephemeral: [],
  };
  ws.channels.set(channel.id, channel);
  ws.channelOrder.push(channel);
  state.changed();
  return channel;
}
