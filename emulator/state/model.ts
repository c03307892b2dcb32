/**
 * The emulator's data model: plain records for workspaces, channels, users, apps, installations,
 * tokens, messages, webhooks and views. The state module owns them; everything else reads them
 * and changes them only through the state's operations, so the page is told about each change.
 */

export const ChannelKind = {
  public: 'public',
  private: 'private',
  im: 'im',
  mpim: 'mpim',
} as const;
export type ChannelKind = (typeof ChannelKind)[keyof typeof ChannelKind];

/** Slack's `types` names for each kind, as conversations.list takes them. */
export const CONVERSATION_TYPE_OF_KIND = {
  public: 'public_channel',
  private: 'private_channel',
  im: 'im',
  mpim: 'mpim',
} as const satisfies Record<ChannelKind, string>;
export type ConversationType = (typeof CONVERSATION_TYPE_OF_KIND)[ChannelKind];

export const TokenKind = {
  bot: 'bot',
  user: 'user',
  app: 'app',
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export interface Workspace {
  id: string;
  name: string;
  domain: string;
  /** A disabled workspace answers account_inactive to every token and team_disabled to webhooks. */
  disabled: boolean;
  created: number;
  channels: Map<string, Channel>;
  /** Channel order of creation, for stable conversations.list pages. */
  channelOrder: Channel[];
  users: Map<string, User>;
  installations: Map<string, Installation>;
  views: Map<string, View>;
  /** Open modal stack per user (view ids, root first). */
  viewStacks: Map<string, string[]>;
}

export interface Channel {
  id: string;
  teamId: string;
  name: string;
  kind: ChannelKind;
  isArchived: boolean;
  isGeneral: boolean;
  /** Deleted channels answer channel_not_found but stay inspectable through the control API. */
  deleted: boolean;
  created: number;
  creator: string;
  topic: string;
  purpose: string;
  members: Set<string>;
  /** For an IM: the human on the other side. */
  imUserId?: string;
  /** Every message by ts, top-level and replies. */
  messages: Map<string, Message>;
  /** Top-level messages, oldest first. */
  timeline: Message[];
  ephemeral: EphemeralMessage[];
}

export interface User {
  id: string;
  teamId: string;
  name: string;
  realName: string;
  displayName: string;
  email?: string;
  isBot: boolean;
  isAdmin: boolean;
  isOwner: boolean;
  deleted: boolean;
  botId?: string;
  appId?: string;
  tz: string;
  updated: number;
}

export interface App {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  /** Bot scopes an install gets when none are named (control API installs). */
  defaultScopes: string[];
  /** Redirect URLs the app accepts; empty means any redirect_uri is accepted. */
  redirectUrls: string[];
  tokenRotation: boolean;
  tokenLifetimeSeconds: number;
  /** App-level token (xapp-) for apps.connections.open. */
  appToken: string;
  created: number;
}

export interface Installation {
  appId: string;
  teamId: string;
  botUserId: string;
  botId: string;
  scopes: Set<string>;
  installedBy: string;
  installedAt: number;
  uninstalled: boolean;
  /** The bot token most recently issued (the one the control API hands out). */
  botToken: string;
  /** The refresh token of a rotating install, most recently issued. */
  refreshToken?: string;
  /** Access tokens of a rotating install, oldest first (Slack keeps at most 2 active [D-ROT]). */
  rotatingTokens: string[];
}

export interface Token {
  value: string;
  kind: TokenKind;
  appId: string;
  teamId?: string;
  /** The bot user for bot tokens, the person for user tokens. */
  userId?: string;
  /** Scopes of a user token, or of an app-level token; bot tokens read their installation's. */
  scopes: Set<string>;
  revoked: boolean;
  /** Epoch ms after which a rotating token answers token_expired. */
  expiresAt?: number;
  issuedAt: number;
}

export interface RefreshToken {
  value: string;
  appId: string;
  teamId: string;
  kind: 'bot' | 'user';
  userId: string;
  /** When it was exchanged; it stays usable for a short grace period after [D-ROT]. */
  usedAt?: number;
  revoked: boolean;
}

export interface MessageVersion {
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

export const MessageSource = {
  webApi: 'web_api',
  webhook: 'webhook',
  scheduled: 'scheduled',
  control: 'control',
} as const;
export type MessageSource = (typeof MessageSource)[keyof typeof MessageSource];

export interface Message {
  ts: string;
  channelId: string;
  teamId: string;
  /** The poster: a bot user id for app posts, a person's id otherwise. */
  userId: string;
  botId?: string;
  appId?: string;
  /** Set when chat:write.customize let the app override its name / icon. */
  username?: string;
  iconEmoji?: string;
  iconUrl?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  threadTs?: string;
  replies: Message[];
  replyBroadcast: boolean;
  unfurlLinks?: boolean;
  unfurlMedia?: boolean;
  edited?: { user: string; ts: string };
  /** Earlier versions, oldest first, one per chat.update. */
  history: MessageVersion[];
  deleted: boolean;
  source: MessageSource;
  /** The webhook that posted it, if any. */
  webhookId?: string;
}

export interface EphemeralMessage {
  messageTs: string;
  channelId: string;
  /** The one person who sees it. */
  userId: string;
  botUserId: string;
  appId: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  threadTs?: string;
}

export const ScheduledState = {
  pending: 'pending',
  posted: 'posted',
  deleted: 'deleted',
} as const;
export type ScheduledState = (typeof ScheduledState)[keyof typeof ScheduledState];

export interface ScheduledMessage {
  id: string;
  teamId: string;
  channelId: string;
  appId: string;
  botUserId: string;
  botId: string;
  /** Unix seconds. */
  postAt: number;
  dateCreated: number;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  threadTs?: string;
  replyBroadcast: boolean;
  state: ScheduledState;
  postedTs?: string;
}

export interface Webhook {
  id: string;
  teamId: string;
  channelId: string;
  appId: string;
  secret: string;
  removed: boolean;
  created: number;
}

export interface View {
  id: string;
  teamId: string;
  appId: string;
  botId: string;
  userId: string;
  type: string;
  body: Record<string, unknown>;
  externalId: string;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  closed: boolean;
}

export interface Trigger {
  id: string;
  teamId: string;
  userId: string;
  issuedAt: number;
  used: boolean;
}

export interface OAuthCode {
  code: string;
  appId: string;
  teamId: string;
  userId: string;
  scopes: string[];
  userScopes: string[];
  redirectUri?: string;
  issuedAt: number;
  used: boolean;
  /** Channel chosen on the consent page for the incoming-webhook scope. */
  webhookChannelId?: string;
}
