/**
 * Web API transport: chat.postMessage with the connection's bot token, through @slack/web-api's
 * WebClient (its retries off, 429s returned to us: pacing and retries belong to the queue).
 * "The Web API only responds with 200 (yes, even for errors) or 429" [NODE docs]; errors arrive
 * as `ok:false` with an `error` string. DMs go to the user's id, found by email when needed
 * (remembered per workspace for an hour; looked up again once when Slack no longer knows the id).
 * not_in_channel is answered by joining the channel when the install has channels:join.
 * One message may instead update an earlier one (chat.update), be ephemeral (chat.postEphemeral)
 * or be scheduled (chat.scheduleMessage): same classification of Slack's answer for all.
 */
import { createHash } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { systemClock, type Clock } from '../clock.ts';
import { scrubSecrets } from '../logging/scrub-secrets.ts';
import { classifySlackError } from './classify-slack-error.ts';
import { createWebClient } from './create-web-client.ts';
import type { OutgoingMessage, SendReport, SendTarget, SlackTransport } from './slack-transport.ts';

interface WebApiError {
  code?: string;
  data?: { error?: string; needed?: string };
  retryAfter?: number;
  statusCode?: number;
  original?: { message?: string; code?: string; name?: string };
}

/** conversations.join refusals that are themselves what is wrong with the destination. */
const JOIN_BROKEN = new Set(['channel_not_found', 'is_archived', 'missing_scope', 'invalid_auth', 'token_revoked', 'account_inactive', 'token_expired']);

/** How long an email → user id lookup is trusted: the email may move to someone else. */
export const USER_ID_TTL_MS = 3600_000;
const MAX_REMEMBERED_USERS = 10_000;
/** What Slack answers a post to a user id it no longer knows (or of another workspace). */
const STALE_USER_ERRORS = new Set(['channel_not_found', 'user_not_found']);

/**
 * The workspace a bot token belongs to, without keeping the token: one install's token is one
 * workspace, and every connection sharing it shares what it found.
 */
function tokenIdentity(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class WebApiTransport implements SlackTransport {
  #clients = new Map<string, WebClient>();
  /** Keyed by the token's identity (never the token) and the email: a user id means nothing in another workspace. */
  #userIdsByEmail = new Map<string, { id: string; atMs: number }>();
  readonly #clock: Clock;

  constructor(private readonly options: { slackApiUrl: string; timeoutMs: number; clock?: Clock }) {
    this.#clock = options.clock ?? systemClock;
  }

  #client(token: string): WebClient {
    let client = this.#clients.get(token);
    if (!client) {
      if (this.#clients.size > 1000) this.#clients.clear();
      client = createWebClient(token, { slackApiUrl: this.options.slackApiUrl, timeoutMs: this.options.timeoutMs });
      this.#clients.set(token, client);
    }
    return client;
  }

  async send(target: SendTarget, message: OutgoingMessage): Promise<SendReport> {
    if (target.kind === 'webhook') throw new Error('WebApiTransport sends with a bot token, not to webhooks');
    const started = performance.now();
    const client = this.#client(target.token);
    const method = message.update ? 'chat.update' : message.ephemeral_user ? 'chat.postEphemeral' : message.post_at ? 'chat.scheduleMessage' : 'chat.postMessage';
    const request: Record<string, unknown> = { method, text: message.text, blocks: message.blocks, thread_ts: message.thread_ts };
    if (message.reply_broadcast) request.reply_broadcast = true;
    if (message.update) request.ts = message.update.ts;
    if (message.ephemeral_user) request.user = message.ephemeral_user;
    if (message.post_at) request.post_at = message.post_at;
    const report = (outcome: SendReport['outcome'], response?: unknown, httpStatus?: number): SendReport => ({
      // Error messages may quote what was sent or where (a token, a URL): scrubbed before anyone keeps them.
      outcome: 'error' in outcome ? { ...outcome, error: scrubSecrets(outcome.error) } : outcome,
      request,
      response,
      httpStatus,
      latencyMs: Math.round(performance.now() - started),
    });
    try {
      const dm = message.update || target.kind !== 'dm' ? undefined : await this.#dmChannel(client, target);
      let channel = message.update?.channel ?? (target.kind === 'channel' ? target.channel : dm!.id);
      request.channel = channel;
      let result;
      try {
        result = await this.#call(client, channel, message);
      } catch (error) {
        const e = error as WebApiError;
        if (dm?.remembered && e.code === 'slack_webapi_platform_error' && STALE_USER_ERRORS.has(e.data?.error ?? '')) {
          // The remembered id is no longer that person's (they left; the email moved): ask Slack
          // once more before calling the destination broken.
          this.#forgetUser(target as Extract<SendTarget, { kind: 'dm' }>);
          channel = (await this.#dmChannel(client, target as Extract<SendTarget, { kind: 'dm' }>)).id;
          request.channel = channel;
          request.looked_up_again = true;
          result = await this.#call(client, channel, message);
          return report({ kind: 'sent', ...result }, { ok: true, ...result }, 200);
        }
        const canJoin = target.kind === 'channel' && target.scopes.includes('channels:join');
        if (e.data?.error !== 'not_in_channel' || !canJoin) throw error;
        const refused = await this.#join(client, channel);
        if (refused) {
          // conversations.join works for public channels only ("use for public channels; private
          // channels need an invite" [REF conversations.join]); a refusal leaves not_in_channel,
          // whose hint says to invite the bot. A join that hit a limit or an outage is retried.
          request.join_refused = refused.error;
          const outcome = refused.retry ? classifySlackError(refused.error) : classifySlackError(JOIN_BROKEN.has(refused.error) ? refused.error : 'not_in_channel');
          return report(outcome, refused.response, refused.httpStatus);
        }
        request.joined_channel = true;
        result = await this.#call(client, channel, message);
      }
      return report({ kind: 'sent', ...result }, { ok: true, ...result }, 200);
    } catch (error) {
      const e = error as WebApiError;
      if (e.code === 'slack_webapi_rate_limited_error') {
        return report({ kind: 'rate_limited', error: 'ratelimited', retryAfterSeconds: e.retryAfter ?? 30 }, { ok: false, error: 'ratelimited' }, 429);
      }
      if (e.code === 'slack_webapi_platform_error' && e.data?.error) {
        return report(classifySlackError(e.data.error), e.data, 200);
      }
      if (e.code === 'slack_webapi_http_error') {
        return report({ kind: 'retry', error: `http_${e.statusCode}` }, undefined, e.statusCode);
      }
      // A timeout is the one answer that leaves us not knowing: Slack may still post the message,
      // so a retry may post it twice (at least once). Named apart so the audit log says so.
      if (e.original?.name === 'TimeoutError') return report({ kind: 'retry', error: `timeout after ${this.options.timeoutMs} ms` });
      const reason = e.original?.message ?? (error as Error).message;
      return report({ kind: 'retry', error: `request_error: ${reason}` });
    }
  }

  /** The one Web API call this message needs; what Slack answered that the queue keeps. */
  async #call(client: WebClient, channel: string, m: OutgoingMessage): Promise<{ channel?: string; ts?: string; scheduledMessageId?: string; inThread?: boolean }> {
    const content = { text: m.text, blocks: m.blocks as never };
    if (m.update) {
      const r = await client.chat.update({ channel, ts: m.update.ts, ...content } as never);
      return { channel: r.channel, ts: r.ts };
    }
    if (m.ephemeral_user) {
      const r = await client.chat.postEphemeral({ channel, user: m.ephemeral_user, thread_ts: m.thread_ts, ...content } as never);
      return { channel, ts: r.message_ts };
    }
    if (m.post_at) {
      const r = await client.chat.scheduleMessage({ channel, post_at: m.post_at, thread_ts: m.thread_ts, ...content } as never);
      return { channel: r.channel, scheduledMessageId: r.scheduled_message_id };
    }
    const thread = m.thread_ts ? { thread_ts: m.thread_ts, reply_broadcast: Boolean(m.reply_broadcast) } : {};
    const r = await client.chat.postMessage({ channel, ...thread, ...content } as never);
    // A reply whose parent was deleted is posted in the channel: its message has no thread_ts.
    if (m.thread_ts && r.message) return { channel: r.channel, ts: r.ts, inThread: Boolean(r.message.thread_ts) };
    return { channel: r.channel, ts: r.ts };
  }

  /** Joins a public channel; undefined when joined, otherwise why not. */
  async #join(client: WebClient, channel: string): Promise<{ error: string; retry: boolean; response?: unknown; httpStatus?: number } | undefined> {
    try {
      await client.conversations.join({ channel });
      return undefined;
    } catch (error) {
      const e = error as WebApiError;
      if (e.code === 'slack_webapi_platform_error' && e.data?.error) return { error: e.data.error, retry: false, response: e.data, httpStatus: 200 };
      if (e.code === 'slack_webapi_rate_limited_error') return { error: 'ratelimited', retry: true, httpStatus: 429 };
      return { error: scrubSecrets(`join failed: ${e.original?.message ?? (error as Error).message}`), retry: true, httpStatus: e.statusCode };
    }
  }

  /**
   * A DM goes to the user id (chat.postMessage opens the app's DM with them); an email is looked
   * up in the token's workspace and remembered there for USER_ID_TTL_MS. `remembered` says the id
   * came from memory, so a refusal may only mean it is out of date.
   */
  async #dmChannel(client: WebClient, target: Extract<SendTarget, { kind: 'dm' }>): Promise<{ id: string; remembered: boolean }> {
    if (target.userId) return { id: target.userId, remembered: false };
    const key = this.#userKey(target);
    const now = this.#clock.now();
    const known = this.#userIdsByEmail.get(key);
    if (known && now - known.atMs < USER_ID_TTL_MS) return { id: known.id, remembered: true };
    const found = await client.users.lookupByEmail({ email: target.userEmail!.toLowerCase() });
    const id = found.user!.id!;
    this.#remember(key, id, now);
    return { id, remembered: false };
  }

  #userKey(target: Extract<SendTarget, { kind: 'dm' }>): string {
    return `${tokenIdentity(target.token)}:${target.userEmail!.toLowerCase()}`;
  }

  #forgetUser(target: Extract<SendTarget, { kind: 'dm' }>): void {
    this.#userIdsByEmail.delete(this.#userKey(target));
  }

  #remember(key: string, id: string, now: number): void {
    this.#userIdsByEmail.delete(key); // re-inserted last: the map's order is oldest first
    if (this.#userIdsByEmail.size >= MAX_REMEMBERED_USERS) {
      for (const [k, v] of this.#userIdsByEmail) if (now - v.atMs >= USER_ID_TTL_MS) this.#userIdsByEmail.delete(k);
      if (this.#userIdsByEmail.size >= MAX_REMEMBERED_USERS) this.#userIdsByEmail.delete(this.#userIdsByEmail.keys().next().value as string);
    }
    this.#userIdsByEmail.set(key, { id, atMs: now });
  }
}
