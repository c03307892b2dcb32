import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { EmulatorState } from './emulator-state.ts';
import { deleteMessage, postEphemeral, postMessage } from './message-store.ts';
import { MessageSource } from './model.ts';
import { seedDefaultWorkspace } from './seed.ts';
import { DELETED_TEXT, statePageSource } from './state-page-source.ts';
import { openIm } from './direct-messages.ts';

function setup() {
  const state = new EmulatorState(new ManualClock());
  const ws = seedDefaultWorkspace(state);
  const inst = state.primaryInstallation(ws)!;
  const bot = { userId: inst.botUserId, botId: inst.botId, appId: inst.appId };
  const alerts = state.findChannel(ws, 'alerts')!;
  const alice = state.findUser(ws, 'alice')!;
  return { state, ws, bot, alerts, alice, source: statePageSource(state) };
}

const post = (s: ReturnType<typeof setup>, text: string, threadTs?: string, replyBroadcast = false) =>
  postMessage(s.state, s.alerts, s.bot, { text }, { threadTs, replyBroadcast, source: MessageSource.webApi });

describe('statePageSource', () => {
  it('shows top-level messages with their replies, and broadcast replies in the channel too', () => {
    const s = setup();
    const root = post(s, 'root');
    post(s, 'quiet reply', root.ts);
    post(s, 'loud reply', root.ts, true);
    const alerts = s.source.workspaces()[0].channels.find((c) => c.name === 'alerts')!;
    expect(alerts.messages.map((m) => [m.text, m.broadcast ?? false])).toEqual([
      ['root', false],
      ['loud reply', true],
    ]);
    expect(alerts.messages[0].replies.map((r) => r.text)).toEqual(['quiet reply', 'loud reply']);
    expect(alerts.messages[0]).toMatchObject({ author: 'Switchboard', isBot: true, edited: false });
  });

  it('drops deleted messages, but keeps a tombstone for a deleted thread root', () => {
    const s = setup();
    const root = post(s, 'root');
    post(s, 'reply', root.ts);
    const lonely = post(s, 'lonely');
    deleteMessage(s.state, root);
    deleteMessage(s.state, lonely);
    const alerts = s.source.workspaces()[0].channels.find((c) => c.name === 'alerts')!;
    expect(alerts.messages.map((m) => m.text)).toEqual([DELETED_TEXT]);
    expect(alerts.messages[0].replies.map((r) => r.text)).toEqual(['reply']);
  });

  it('labels ephemeral messages with their reader, in time order', () => {
    const s = setup();
    post(s, 'first');
    postEphemeral(s.state, s.alerts, s.alice.id, { botUserId: s.bot.userId, appId: s.bot.appId }, { text: 'only alice' });
    post(s, 'third');
    const alerts = s.source.workspaces()[0].channels.find((c) => c.name === 'alerts')!;
    expect(alerts.messages.map((m) => [m.text, m.ephemeralFor])).toEqual([
      ['first', undefined],
      ['only alice', 'alice'],
      ['third', undefined],
    ]);
  });

  it('names a DM after the person, marks private channels, and lists users for mentions', () => {
    const s = setup();
    openIm(s.state, s.ws, s.bot.userId, s.alice);
    const ws = s.source.workspaces()[0];
    expect(ws.channels.find((c) => c.isIm)).toMatchObject({ name: 'alice', isPrivate: true });
    expect(ws.channels.find((c) => c.name === 'leadership')?.isPrivate).toBe(true);
    expect(ws.users).toContainEqual({ id: s.alice.id, name: 'alice' });
  });
});
