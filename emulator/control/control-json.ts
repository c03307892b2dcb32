/**
 * How the control API shows the emulator's state: workspaces with their tokens, channels, people,
 * apps and webhook URLs (everything a test needs to talk to the emulator), and messages with
 * everything Slack stores about them (thread replies, edit history, deletion, where they came from).
 */
import type { EmulatorState } from '../state/emulator-state.ts';
import type { App, Channel, EphemeralMessage, Installation, Message, ScheduledMessage, User, View, Webhook, Workspace } from '../state/model.ts';
import { webhookPath } from '../state/workspace-setup.ts';

export function appJson(app: App): Record<string, unknown> {
  return {
    app_id: app.id,
    name: app.name,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    signing_secret: app.signingSecret,
    app_token: app.appToken,
    scopes: app.defaultScopes,
    redirect_urls: app.redirectUrls,
    token_rotation: app.tokenRotation,
    token_lifetime_seconds: app.tokenLifetimeSeconds,
  };
}

export function installationJson(state: EmulatorState, inst: Installation): Record<string, unknown> {
  const app = state.apps.get(inst.appId) as App;
  const token = state.tokens.get(inst.botToken);
  return {
    ...appJson(app),
    team_id: inst.teamId,
    bot_token: inst.botToken,
    bot_user_id: inst.botUserId,
    bot_id: inst.botId,
    scopes: [...inst.scopes],
    uninstalled: inst.uninstalled,
    ...(inst.refreshToken ? { refresh_token: inst.refreshToken } : {}),
    ...(token?.expiresAt !== undefined ? { token_expires_at: Math.floor(token.expiresAt / 1000) } : {}),
  };
}

export function webhookJson(state: EmulatorState, hook: Webhook, origin: string): Record<string, unknown> {
  const channel = state.workspace(hook.teamId)?.channels.get(hook.channelId);
  return {
    id: hook.id,
    url: `${origin}${webhookPath(hook)}`,
    team_id: hook.teamId,
    channel_id: hook.channelId,
    channel_name: channel?.name,
    app_id: hook.appId,
    removed: hook.removed,
  };
}

export function channelJson(ch: Channel, botUserId?: string): Record<string, unknown> {
  return {
    id: ch.id,
    name: ch.name,
    is_private: ch.kind !== 'public',
    is_im: ch.kind === 'im',
    is_mpim: ch.kind === 'mpim',
    is_archived: ch.isArchived,
    is_general: ch.isGeneral,
    deleted: ch.deleted,
    members: [...ch.members],
    ...(botUserId ? { bot_member: ch.members.has(botUserId) } : {}),
    message_count: ch.timeline.length,
  };
}

export function userJsonForControl(u: User): Record<string, unknown> {
  return { id: u.id, name: u.name, real_name: u.realName, email: u.email, is_bot: u.isBot, is_admin: u.isAdmin, deleted: u.deleted };
}

export function workspaceJson(state: EmulatorState, ws: Workspace, origin: string): Record<string, unknown> {
  const primary = state.primaryInstallation(ws);
  const hooks = [...state.webhooks.values()].filter((h) => h.teamId === ws.id && !h.removed);
  return {
    team_id: ws.id,
    name: ws.name,
    domain: ws.domain,
    disabled: ws.disabled,
    bot_token: primary?.botToken,
    bot_user_id: primary?.botUserId,
    app_id: primary?.appId,
    channels: ws.channelOrder.filter((c) => !c.deleted).map((c) => channelJson(c, primary?.botUserId)),
    users: [...ws.users.values()].map(userJsonForControl),
    apps: [...ws.installations.values()].map((i) => installationJson(state, i)),
    webhooks: hooks.map((h) => webhookJson(state, h, origin)),
  };
}

export function inspectMessageJson(m: Message): Record<string, unknown> {
  return {
    ts: m.ts,
    channel: m.channelId,
    user: m.userId,
    bot_id: m.botId,
    app_id: m.appId,
    username: m.username,
    icon_emoji: m.iconEmoji,
    icon_url: m.iconUrl,
    text: m.text,
    blocks: m.blocks,
    attachments: m.attachments,
    metadata: m.metadata,
    thread_ts: m.threadTs,
    reply_broadcast: m.replyBroadcast,
    unfurl_links: m.unfurlLinks,
    unfurl_media: m.unfurlMedia,
    edited: m.edited,
    history: m.history,
    deleted: m.deleted,
    source: m.source,
    webhook_id: m.webhookId,
    replies: m.threadTs ? undefined : m.replies.map(inspectMessageJson),
  };
}

export function ephemeralJson(e: EphemeralMessage): Record<string, unknown> {
  return { message_ts: e.messageTs, channel: e.channelId, user: e.userId, bot_user_id: e.botUserId, app_id: e.appId, text: e.text, blocks: e.blocks, attachments: e.attachments, thread_ts: e.threadTs };
}

export function scheduledJson(m: ScheduledMessage): Record<string, unknown> {
  return {
    id: m.id,
    channel_id: m.channelId,
    app_id: m.appId,
    post_at: m.postAt,
    date_created: m.dateCreated,
    text: m.text,
    blocks: m.blocks,
    attachments: m.attachments,
    metadata: m.metadata,
    thread_ts: m.threadTs,
    state: m.state,
    posted_ts: m.postedTs,
  };
}

export function viewJsonForControl(v: View): Record<string, unknown> {
  return { id: v.id, user: v.userId, app_id: v.appId, type: v.type, external_id: v.externalId, hash: v.hash, root_view_id: v.rootViewId, previous_view_id: v.previousViewId, closed: v.closed, view: v.body };
}
