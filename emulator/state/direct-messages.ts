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
  const channel: Channel = {
    id: state.ids.next('D'),
    teamId: ws.id,
    name: user.name,
    kind: 'im',
    isArchived: false,
    isGeneral: false,
    deleted: false,
    created: state.nowSeconds(),
    creator: botUserId,
    topic: '',
    purpose: '',
    members: new Set([botUserId, user.id]),
    imUserId: user.id,
    messages: new Map(),
    timeline: [],
    ephemeral: [],
  };
  ws.channels.set(channel.id, channel);
  ws.channelOrder.push(channel);
  state.changed();
  return { channel, created: true };
}

/** A group DM between a bot and several people. */
export function openMpim(state: EmulatorState, ws: Workspace, botUserId: string, people: User[]): { channel: Channel; created: boolean } {
  const wanted = new Set([botUserId, ...people.map((u) => u.id)]);
  for (const ch of ws.channelOrder) {
    if (ch.kind === 'mpim' && ch.members.size === wanted.size && [...wanted].every((m) => ch.members.has(m))) return { channel: ch, created: false };
  }
  const channel: Channel = {
    id: state.ids.next('C'),
    teamId: ws.id,
    name: `mpdm-${people.map((u) => u.name).join('--')}-1`,
    kind: 'mpim',
    isArchived: false,
    isGeneral: false,
    deleted: false,
    created: state.nowSeconds(),
    creator: botUserId,
    topic: '',
    purpose: `Group messaging with: ${people.map((u) => `@${u.name}`).join(' ')}`,
    members: wanted,
    messages: new Map(),
    timeline: [],
    ephemeral: [],
  };
  ws.channels.set(channel.id, channel);
  ws.channelOrder.push(channel);
  state.changed();
  return { channel, created: true };
}
