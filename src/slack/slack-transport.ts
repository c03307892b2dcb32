/**
 * The Slack transport seam: one message to one destination, and Slack's answer classified.
 * Two implementations: the Web API with a bot token (web-api-transport.ts) and incoming webhooks
 * (webhook-transport.ts). The delivery engine knows only this interface.
 */
export interface OutgoingMessage {
  text: string;
  blocks?: unknown[];
  /** Reply in this message's thread. */
  thread_ts?: string;
  /** A thread reply also shown in the channel. */
  reply_broadcast?: boolean;
  /** Web API only: replace this earlier message (chat.update) instead of posting. */
  update?: { channel: string; ts: string };
  /** Web API only: post ephemerally, visible to this user alone (chat.postEphemeral). */
  ephemeral_user?: string;
  /** Web API only: have Slack post it at this Unix time (chat.scheduleMessage). */
  post_at?: number;
}

/** Where one message goes, with the secrets needed to get it there (never logged or stored). */
export type SendTarget =
  | { kind: 'webhook'; url: string }
  | { kind: 'channel'; token: string; channel: string; scopes: readonly string[] }
  | { kind: 'dm'; token: string; userId?: string; userEmail?: string; scopes: readonly string[] };

/**
 * What happened, as the queue needs to know it:
 * - sent: Slack took it (ts/channel when the Web API says them; webhooks return neither; for a
 *   Web API reply, inThread says whether it went in the thread: Slack answers a reply to a
 *   deleted message with ok and posts it in the channel);
 * - retry: worth trying again later (5xx, timeout, network, unknown);
 * - rate_limited: Slack said 429; wait retryAfterSeconds before this destination sends again;
 * - rejected: Slack refused this message's content; the next message may go;
 * - destination_broken: nothing will go until a person fixes the destination (hint says how).
 */
export type SendOutcome =
  | { kind: 'sent'; channel?: string; ts?: string; scheduledMessageId?: string; inThread?: boolean }
  | { kind: 'retry'; error: string; unknown?: boolean }
  | { kind: 'rate_limited'; error: string; retryAfterSeconds: number }
  | { kind: 'rejected'; error: string }
  | { kind: 'destination_broken'; error: string; hint: string; scope: 'destination' | 'connection' };

/** The record of one attempt, for the audit log. */
export interface SendReport {
  outcome: SendOutcome;
  /** What was sent, secrets masked. */
  request: Record<string, unknown>;
  httpStatus?: number;
  response?: unknown;
  latencyMs: number;
}

export interface SlackTransport {
  send(target: SendTarget, message: OutgoingMessage): Promise<SendReport>;
}
