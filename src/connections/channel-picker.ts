/**
 * Channel picker data: the channels a connection's bot can post to, a page at a time, straight from
 * Slack's conversations.list (`types`, `exclude_archived`, `limit` "under 1000", `cursor` /
 * `response_metadata.next_cursor` [REF conversations.list]). Which types are listed follows the
 * granted scopes (channels:read → public, groups:read → private). A public channel is postable
 * when the bot is a member, or through chat:write.public, or by joining with channels:join [D-POST];
 * a private one only when the bot was invited, and Slack lists no other private channels to it.
 *
 * Pages are cached in memory for a minute per connection (and cursor), so a picker that is opened,
 * closed and searched again does not spend the method's small rate-limit budget (Tier 2, about
 * 20 calls a minute [D-RATE]).
 */
import type { Clock } from '../clock.ts';
import { SwitchboardError } from '../errors.ts';
import type { TokenDeps } from './get-fresh-bot-token.ts';
import { callSlackAsConnection } from './call-slack-as-connection.ts';
import { getConnection, type Connection } from './connection-store.ts';

export const PostVia = { member: 'member', publicScope: 'chat:write.public', join: 'channels:join' } as const;
export type PostVia = (typeof PostVia)[keyof typeof PostVia];

export interface PickableChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_member: boolean;
  /** How the bot gets its messages in: it is a member, may post without joining, or joins first. */
  post_via: PostVia;
}

export interface ChannelPage {
  channels: PickableChannel[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

export const CHANNEL_CACHE_MS = 60_000;
export const DEFAULT_PAGE_SIZE = 200;
/** Slack: limit "must be an integer under 1000". */
export const MAX_PAGE_SIZE = 999;
const MAX_CACHED_PAGES = 1000;

interface SlackChannel {
  id?: string;
  name?: string;
  is_private?: boolean;
  is_member?: boolean;
  is_archived?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
}

function listedTypes(connection: Connection): string[] {
  const types: string[] = [];
  if (connection.scopes.includes('channels:read')) types.push('public_channel');
  if (connection.scopes.includes('groups:read')) types.push('private_channel');
  return types;
}

function postVia(channel: SlackChannel, scopes: string[]): PostVia | undefined {
  if (channel.is_member) return PostVia.member;
  if (channel.is_private) return undefined;
  if (scopes.includes('chat:write.public')) return PostVia.publicScope;
  if (scopes.includes('channels:join')) return PostVia.join;
  return undefined;
}

export class ChannelPicker {
  readonly #pages = new Map<string, { atMs: number; page: ChannelPage }>();

  constructor(
    private readonly deps: TokenDeps & { clock: Clock },
    private readonly ttlMs = CHANNEL_CACHE_MS,
  ) {}

  async list(projectId: string, connectionId: string, options: { cursor?: string; limit?: number } = {}): Promise<ChannelPage> {
    const connection = await getConnection(this.deps.db, projectId, connectionId);
    if (connection.status === 'disconnected') {
      throw new SwitchboardError('connection_disconnected', `Connection ${connectionId} is disconnected: reconnect Slack to pick channels`, { connection_id: connectionId });
    }
    const types = listedTypes(connection);
    if (types.length === 0) {
      throw new SwitchboardError(
        'slack_scope_missing',
        'The Slack install cannot list channels (it lacks channels:read and groups:read): turn on the channel_picker feature (SWITCHBOARD_FEATURES), update the app from `switchboard manifest`, and reconnect Slack; or enter a channel id',
        { needed: 'channels:read,groups:read' },
      );
    }
    const limit = Math.min(Math.max(options.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    // Scopes are part of the key: a reinstall with more permissions shows more channels at once.
    const key = [connectionId, connection.scopes.join(','), limit, options.cursor ?? ''].join('|');
    const now = this.deps.clock.now();
    const cached = this.#pages.get(key);
    if (cached && now - cached.atMs < this.ttlMs) return cached.page;

    const answer = await callSlackAsConnection(this.deps, connectionId, (client) =>
      client.conversations.list({ types: types.join(','), exclude_archived: true, limit, cursor: options.cursor || undefined }),
    ).catch((error: unknown) => {
      // A cursor Slack did not hand out (made up, mangled, or from another connection) is the
      // client's mistake, not Slack's outage.
      if (error instanceof SwitchboardError && error.code === 'slack_error' && error.details?.slack_error === 'invalid_cursor') {
        throw new SwitchboardError(
          'invalid_cursor',
          'cursor is not one this connection handed out: drop it to start from the first page, or pass the next_cursor of the previous page unchanged',
          { field: 'cursor' },
        );
      }
      throw error;
    });
    const channels: PickableChannel[] = [];
    for (const c of (answer.channels ?? []) as SlackChannel[]) {
      if (!c.id || !c.name || c.is_archived || c.is_im || c.is_mpim) continue;
      const via = postVia(c, connection.scopes);
      if (via) channels.push({ id: c.id, name: c.name, is_private: Boolean(c.is_private), is_member: Boolean(c.is_member), post_via: via });
    }
    const page: ChannelPage = { channels, next_cursor: answer.response_metadata?.next_cursor || null };
    this.#remember(key, now, page);
    return page;
  }

  #remember(key: string, now: number, page: ChannelPage): void {
    for (const [k, v] of this.#pages) if (now - v.atMs >= this.ttlMs) this.#pages.delete(k);
    if (this.#pages.size >= MAX_CACHED_PAGES) this.#pages.delete(this.#pages.keys().next().value as string);
    this.#pages.set(key, { atMs: now, page });
  }
}
