/**
 * What the emulator's web page needs to know about the emulator's state, and nothing more.
 * The state module implements it; the page renders it. Keeping this narrow lets the page be
 * rendered (and tested) from plain data.
 */
export interface PageSource {
  /** A snapshot of every workspace, its channels and their messages, oldest message first. */
  workspaces(): PageWorkspace[];
  /** Calls listener after any change a person would see (message posted, edited, deleted, channel archived...). */
  subscribe(listener: () => void): () => void;
}

export interface PageWorkspace {
  teamId: string;
  name: string;
  domain: string;
  channels: PageChannel[];
  /** Optional: the workspace's users, so a mention such as <@U123> shows as @name, as Slack shows it. */
  users?: PageUser[];
}

export interface PageUser {
  id: string;
  /** The name Slack shows for the user (display name, else real name, else handle). */
  name: string;
}

export interface PageChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  /** true for a direct-message conversation (name is then the other user's name). */
  isIm: boolean;
  /** Top-level messages only; thread replies hang off their parent. */
  messages: PageMessage[];
}

export interface PageMessage {
  ts: string;
  /** Display name of the poster: the bot's name for app posts, or the user's name. */
  author: string;
  isBot: boolean;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** Set after chat.update: the page shows "(edited)". */
  edited: boolean;
  /** Ephemeral messages are shown only "to" one user; the page labels them. */
  ephemeralFor?: string;
  replies: PageMessage[];
  /** Set on a reply also sent to the channel (reply_broadcast). */
  broadcast?: boolean;
}
