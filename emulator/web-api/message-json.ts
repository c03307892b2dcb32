/**
 * Messages as the Web API returns them: a bot post carries `user` (the bot user), `bot_id`,
 * `app_id`, `team` and a `bot_profile`; a reply carries `thread_ts` and `parent_user_id`; an edit
 * carries `edited`; attachments get Slack's 1-based `id`.
 */
import type { EmulatorState } from '../state/emulator-state.ts';
import type { Message } from '../state/model.ts';

/** Bot icons: reserved ".invalid" host so nothing ever fetches them. */
const BOT_ICONS = {
  image_36: 'https://avatars.emulator.invalid/bot_36.png',
  image_48: 'https://avatars.emulator.invalid/bot_48.png',
  image_72: 'https://avatars.emulator.invalid/bot_72.png',
};

export function botProfileJson(state: EmulatorState, teamId: string, appId: string, botId: string): Record<string, unknown> {
  const app = state.apps.get(appId);
  const inst = state.installation(teamId, appId);
  return {
    id: botId,
    deleted: inst?.uninstalled ?? false,
    name: app?.name ?? 'app',
    updated: Math.floor((inst?.installedAt ?? state.now()) / 1000),
    app_id: appId,
    icons: BOT_ICONS,
    team_id: teamId,
  };
}

export function attachmentsJson(attachments: unknown[]): unknown[] {
  return attachments.map((a, i) => (typeof a === 'object' && a !== null && !Array.isArray(a) ? { id: i + 1, ...a } : a));
}

export function messageJson(state: EmulatorState, m: Message): Record<string, unknown> {
  const out: Record<string, unknown> = { user: m.userId, type: 'message', ts: m.ts };
  if (m.botId) out.bot_id = m.botId;
  if (m.appId) out.app_id = m.appId;
  out.text = m.text;
  out.team = m.teamId;
  if (m.username) {
    out.subtype = 'bot_message';
    out.username = m.username;
    if (m.iconEmoji) out.icons = { emoji: m.iconEmoji };
    else if (m.iconUrl) out.icons = { image_64: m.iconUrl };
  }
  if (m.botId && m.appId) out.bot_profile = botProfileJson(state, m.teamId, m.appId, m.botId);
  if (m.blocks) out.blocks = m.blocks;
  if (m.attachments) out.attachments = attachmentsJson(m.attachments);
  if (m.metadata !== undefined) out.metadata = m.metadata;
  if (m.threadTs) {
    out.thread_ts = m.threadTs;
    const parent = state.workspace(m.teamId)?.channels.get(m.channelId)?.messages.get(m.threadTs);
    if (parent) out.parent_user_id = parent.userId;
  }
  if (m.edited) out.edited = m.edited;
  return out;
}
