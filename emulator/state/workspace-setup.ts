/**
 * Creating and changing the things a workspace is made of: workspaces, people, channels, apps and
 * their installations, webhooks, and the lifecycle events that break them (archive, delete,
 * revoke, uninstall, disable). The control API, the seed and OAuth all go through here, so a
 * workspace made by hand and one made by an install look the same.
 */
import { ValidationError, NotFoundError, ConflictError } from '../../src/errors.ts';
import type { EmulatorState } from './emulator-state.ts';
import { randomAlphanumeric, randomHex } from './id-source.ts';
import { issueBotToken } from './tokens.ts';
import type { App, Channel, ChannelKind, Installation, User, Webhook, Workspace } from './model.ts';

export interface UserSpec {
  name: string;
  real_name?: string;
  display_name?: string;
  email?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  tz?: string;
}

export interface ChannelSpec {
  name: string;
  is_private?: boolean;
  is_general?: boolean;
  topic?: string;
  purpose?: string;
  /** People in the channel, by name, email or id; every person when omitted. */
  members?: string[];
  /** Whether installed apps' bots are members (default true). */
  bot_member?: boolean;
}

export interface AppSpec {
  name: string;
  /** Bot scopes given when installed without naming scopes. */
  scopes?: string[];
  client_id?: string;
  client_secret?: string;
  signing_secret?: string;
  redirect_urls?: string[];
  token_rotation?: boolean;
  /** Lifetime of rotating access tokens; Slack's is 43,200 s [D-ROT]. */
  token_lifetime_seconds?: number;
  app_token?: string;
}

export interface InstallSpec extends Partial<AppSpec> {
  /** Install an app that already exists (id, client id or name) instead of creating one. */
  app_id?: string;
  /** Fixed bot token value (for a seed that must not change between starts). */
  bot_token?: string;
}

export interface WebhookSpec {
  channel: string;
  /** App that owns the webhook (id or name); the workspace's first app by default. */
  app?: string;
  secret?: string;
}

export interface WorkspaceSpec {
  team_id?: string;
  name?: string;
  domain?: string;
  users?: UserSpec[];
  apps?: InstallSpec[];
  channels?: ChannelSpec[];
  webhooks?: WebhookSpec[];
}

/** Slack's default token lifetime with rotation on: "access tokens expire after 43,200 s (12 h)" [D-ROT]. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 43_200;

const CHANNEL_NAME = /^[a-z0-9][a-z0-9._-]{0,79}$/;

export function createWorkspace(state: EmulatorState, spec: WorkspaceSpec = {}): Workspace {
  const id = spec.team_id ?? state.ids.next('T');
  if (!/^T[A-Z0-9]{2,}$/.test(id)) throw new ValidationError('team_id must look like a Slack team id (T followed by capital letters and digits)');
  if (state.workspaces.has(id)) throw new ConflictError(`workspace ${id} already exists`);
  const name = spec.name ?? `Workspace ${state.workspaces.size + 1}`;
  const domain = spec.domain ?? (name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || id.toLowerCase());
  const ws: Workspace = {
    id,
    name,
    domain,
    disabled: false,
    created: state.nowSeconds(),
    channels: new Map(),
    channelOrder: [],
    users: new Map(),
    installations: new Map(),
    views: new Map(),
    viewStacks: new Map(),
  };
  state.workspaces.set(id, ws);
  for (const u of spec.users ?? []) addUser(state, ws, u);
  for (const a of spec.apps ?? []) installApp(state, ws, a);
  const channels = spec.channels ?? [{ name: 'general', is_general: true }];
  for (const c of channels) addChannel(state, ws, c);
  for (const w of spec.webhooks ?? []) addWebhook(state, ws, w);
  state.changed();
  return ws;
}

export function addUser(state: EmulatorState, ws: Workspace, spec: UserSpec): User {
  if (!spec.name) throw new ValidationError('a user needs a name');
  if (state.findUser(ws, spec.name)) throw new ConflictError(`user ${spec.name} already exists in ${ws.id}`);
  const user: User = {
    id: state.ids.next('U'),
    teamId: ws.id,
    name: spec.name,
    realName: spec.real_name ?? spec.name,
    displayName: spec.display_name ?? spec.name,
    email: spec.email,
    isBot: false,
    isAdmin: spec.is_admin ?? false,
    isOwner: spec.is_owner ?? false,
    deleted: false,
    tz: spec.tz ?? 'Europe/London',
    updated: state.nowSeconds(),
  };
  ws.users.set(user.id, user);
  // Everyone is in #general, as in Slack.
  for (const ch of ws.channelOrder) if (ch.isGeneral) ch.members.add(user.id);
  state.changed();
  return user;
}

function humans(ws: Workspace): User[] {
  return [...ws.users.values()].filter((u) => !u.isBot && !u.deleted);
}

function liveBots(ws: Workspace): string[] {
  return [...ws.installations.values()].filter((i) => !i.uninstalled).map((i) => i.botUserId);
}

export function addChannel(state: EmulatorState, ws: Workspace, spec: ChannelSpec): Channel {
  const name = spec.name?.replace(/^#/, '');
  if (!name || !CHANNEL_NAME.test(name)) {
    throw new ValidationError('channel names are lower-case letters, digits, "-", "_" or ".", at most 80 characters');
  }
  if (state.findChannel(ws, name)) throw new ConflictError(`channel #${name} already exists in ${ws.id}`);
  const kind: ChannelKind = spec.is_private ? 'private' : 'public';
  const creator = humans(ws)[0]?.id ?? 'USLACKBOT';
  const channel: Channel = {
    id: state.ids.next('C'),
    teamId: ws.id,
    name,
    kind,
    isArchived: false,
    isGeneral: spec.is_general ?? (name === 'general' && kind === 'public' && !ws.channelOrder.some((c) => c.isGeneral)),
    deleted: false,
    created: state.nowSeconds(),
    creator,
    topic: spec.topic ?? '',
    purpose: spec.purpose ?? '',
    members: new Set(),
    messages: new Map(),
    timeline: [],
    ephemeral: [],
  };
  const people = spec.members
    ? spec.members.map((ref) => {
        const u = state.findUser(ws, ref);
        if (!u) throw new NotFoundError('user', ref);
        return u.id;
      })
    : humans(ws).map((u) => u.id);
  for (const id of people) channel.members.add(id);
  if (spec.bot_member !== false) for (const bot of liveBots(ws)) channel.members.add(bot);
  ws.channels.set(channel.id, channel);
  ws.channelOrder.push(channel);
  state.changed();
  return channel;
}

export function createApp(state: EmulatorState, spec: AppSpec): App {
  if (!spec.name) throw new ValidationError('an app needs a name');
  const id = state.ids.next('A');
  const clientId = spec.client_id ?? `${Math.floor(state.now() / 1000)}.${id.slice(1)}`;
  if (state.appsByClientId.has(clientId)) throw new ConflictError(`an app with client_id ${clientId} already exists`);
  const app: App = {
    id,
    name: spec.name,
    clientId,
    clientSecret: spec.client_secret ?? randomHex(16),
    signingSecret: spec.signing_secret ?? randomHex(16),
    defaultScopes: spec.scopes ?? ['chat:write'],
    redirectUrls: spec.redirect_urls ?? [],
    tokenRotation: spec.token_rotation ?? false,
    tokenLifetimeSeconds: spec.token_lifetime_seconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    appToken: spec.app_token ?? `xapp-emulator-${id}-${randomAlphanumeric(24)}`,
    created: state.nowSeconds(),
  };
  state.apps.set(app.id, app);
  state.appsByClientId.set(app.clientId, app);
  state.tokens.set(app.appToken, {
    value: app.appToken,
    kind: 'app',
    appId: app.id,
    scopes: new Set(['connections:write']),
    revoked: false,
    issuedAt: state.now(),
  });
  return app;
}

/**
 * Installs an app in a workspace (creating the app first unless `app_id` names one). Scopes are
 * additive across installs, as Slack's are [D-OAUTH]; a reinstall of an uninstalled app starts over.
 */
export function installApp(state: EmulatorState, ws: Workspace, spec: InstallSpec, installedBy?: string): Installation {
  let app: App | undefined;
  if (spec.app_id) {
    app = state.findApp(spec.app_id);
    if (!app) throw new NotFoundError('app', spec.app_id);
  } else {
    app = createApp(state, { ...spec, name: spec.name ?? 'Emulator App' });
  }
  const scopes = spec.scopes ?? app.defaultScopes;
  let inst = ws.installations.get(app.id);
  if (inst && !inst.uninstalled) {
    for (const s of scopes) inst.scopes.add(s);
    return inst;
  }
  const botUser: User = inst
    ? (ws.users.get(inst.botUserId) as User)
    : {
        id: state.ids.next('U'),
        teamId: ws.id,
        name: app.name.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
        realName: app.name,
        displayName: app.name,
        isBot: true,
        isAdmin: false,
        isOwner: false,
        deleted: false,
        botId: state.ids.next('B'),
        appId: app.id,
        tz: 'America/Los_Angeles',
        updated: state.nowSeconds(),
      };
  botUser.deleted = false;
  ws.users.set(botUser.id, botUser);
  inst = {
    appId: app.id,
    teamId: ws.id,
    botUserId: botUser.id,
    botId: botUser.botId as string,
    scopes: new Set(scopes),
    installedBy: installedBy ?? humans(ws)[0]?.id ?? botUser.id,
    installedAt: state.now(),
    uninstalled: false,
    botToken: '',
    rotatingTokens: [],
  };
  ws.installations.set(app.id, inst);
  issueBotToken(state, app, inst, spec.bot_token);
  state.changed();
  return inst;
}

/** Uninstalling revokes every token: bot tokens then answer account_inactive, user tokens token_revoked [D-POST]. */
export function uninstallApp(state: EmulatorState, ws: Workspace, appId: string): void {
  const inst = ws.installations.get(appId);
  if (!inst || inst.uninstalled) throw new NotFoundError('installation of app', appId);
  inst.uninstalled = true;
  const bot = ws.users.get(inst.botUserId);
  if (bot) bot.deleted = true;
  for (const ch of ws.channelOrder) ch.members.delete(inst.botUserId);
  for (const hook of state.webhooks.values()) if (hook.teamId === ws.id && hook.appId === appId) hook.removed = true;
  for (const rt of state.refreshTokens.values()) if (rt.teamId === ws.id && rt.appId === appId) rt.revoked = true;
  state.changed();
}

export function addWebhook(state: EmulatorState, ws: Workspace, spec: WebhookSpec): Webhook {
  const channel = state.findChannel(ws, spec.channel) ?? ws.channels.get(spec.channel);
  if (!channel || channel.deleted) throw new NotFoundError('channel', spec.channel);
  const inst = spec.app
    ? (() => {
        const app = state.findApp(spec.app as string);
        return app ? ws.installations.get(app.id) : undefined;
      })()
    : state.primaryInstallation(ws);
  if (!inst || inst.uninstalled) throw new ValidationError('a webhook belongs to an installed app; install one in this workspace first');
  const hook: Webhook = {
    id: state.ids.next('B'),
    teamId: ws.id,
    channelId: channel.id,
    appId: inst.appId,
    secret: spec.secret ?? randomAlphanumeric(24),
    removed: false,
    created: state.nowSeconds(),
  };
  state.webhooks.set(hook.id, hook);
  return hook;
}

/** The path of a webhook URL, shaped like Slack's /services/T…/B…/secret [D-WH]. */
export function webhookPath(hook: Webhook): string {
  return `/services/${hook.teamId}/${hook.id}/${hook.secret}`;
}

export function setChannelArchived(state: EmulatorState, channel: Channel, archived: boolean): void {
  channel.isArchived = archived;
  state.changed();
}

export function deleteChannel(state: EmulatorState, channel: Channel): void {
  channel.deleted = true;
  state.changed();
}

export function setWorkspaceDisabled(state: EmulatorState, ws: Workspace, disabled: boolean): void {
  ws.disabled = disabled;
  state.changed();
}
