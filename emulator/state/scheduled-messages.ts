/**
 * Scheduled messages: stored until their post_at, then posted to the channel like any other bot
 * message. Time comes from the injected clock, and due messages are posted whenever the emulator
 * is asked anything (and once a second when it listens on a port), so tests move time instead of
 * waiting.
 */
import type { EmulatorState } from './emulator-state.ts';
import { postMessage } from './message-store.ts';
import { MessageSource, ScheduledState, type ScheduledMessage } from './model.ts';

export type NewScheduledMessage = Omit<ScheduledMessage, 'id' | 'dateCreated' | 'state' | 'postedTs'>;

function recomputeNextDue(state: EmulatorState): void {
  let min = Number.POSITIVE_INFINITY;
  for (const m of state.scheduled.values()) if (m.state === ScheduledState.pending && m.postAt * 1000 < min) min = m.postAt * 1000;
  state.nextScheduledDue = min;
}

export function scheduleMessage(state: EmulatorState, input: NewScheduledMessage): ScheduledMessage {
  const message: ScheduledMessage = {
    ...input,
    id: state.ids.next('Q'),
    dateCreated: state.nowSeconds(),
    state: ScheduledState.pending,
  };
  state.scheduled.set(message.id, message);
  if (message.postAt * 1000 < state.nextScheduledDue) state.nextScheduledDue = message.postAt * 1000;
  return message;
}

export function cancelScheduledMessage(state: EmulatorState, message: ScheduledMessage): void {
  message.state = ScheduledState.deleted;
  recomputeNextDue(state);
}

/** Pending messages of one channel (for the 30-per-5-minutes rule) or of a whole workspace. */
export function pendingScheduled(state: EmulatorState, teamId: string, channelId?: string): ScheduledMessage[] {
  const out: ScheduledMessage[] = [];
  for (const m of state.scheduled.values()) {
    if (m.state === ScheduledState.pending && m.teamId === teamId && (!channelId || m.channelId === channelId)) out.push(m);
  }
  return out.sort((a, b) => a.postAt - b.postAt || a.id.localeCompare(b.id));
}

/**
 * Posts every scheduled message whose time has come. A message whose channel was archived or
 * deleted meanwhile, or whose app was uninstalled, is dropped; so is one scheduled with metadata,
 * as Slack warns: "messages scheduled with metadata will not post" [D-SCHED].
 */
export function postDueScheduledMessages(state: EmulatorState): number {
  const now = state.now();
  if (state.nextScheduledDue > now) return 0;
  const due = [...state.scheduled.values()]
    .filter((m) => m.state === ScheduledState.pending && m.postAt * 1000 <= now)
    .sort((a, b) => a.postAt - b.postAt);
  for (const m of due) {
    const ws = state.workspace(m.teamId);
    const channel = ws?.channels.get(m.channelId);
    const installed = ws?.installations.get(m.appId)?.uninstalled === false;
    if (!channel || channel.deleted || channel.isArchived || !installed || m.metadata !== undefined) {
      m.state = ScheduledState.deleted;
      continue;
    }
    const posted = postMessage(
      state,
      channel,
      { userId: m.botUserId, botId: m.botId, appId: m.appId },
      { text: m.text, blocks: m.blocks, attachments: m.attachments, metadata: m.metadata },
      { threadTs: m.threadTs, replyBroadcast: m.replyBroadcast, source: MessageSource.scheduled },
    );
    m.state = ScheduledState.posted;
    m.postedTs = posted.ts;
  }
  recomputeNextDue(state);
  return due.length;
}
