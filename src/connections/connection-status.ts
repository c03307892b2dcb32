/**
 * A connection's health and the destinations that depend on it. When the bot token stops working
 * (refresh refused, disconnected, revoked) every destination posting through the connection is
 * paused with the same reason and hint, its queue held rather than dropped; a new install of the
 * same workspace resumes exactly the destinations that were paused for the connection's sake.
 * "The connection's destinations" are those with its connection_id, plus the incoming webhook its
 * install created (connection_webhooks).
 */
import type { Queryable } from '../db/database.ts';
import { CONNECTION_ERRORS } from '../slack/slack-error-hints.ts';

export const ConnectionPauseReason = {
  disconnected: 'disconnected',
  tokenRefreshFailed: 'token_refresh_failed',
} as const;
export type ConnectionPauseReason = (typeof ConnectionPauseReason)[keyof typeof ConnectionPauseReason];

export const RECONNECT_HINT = 'Reconnect Slack to resume';

/** Reasons that are about the token, not one channel: a fresh install cures them. */
const CONNECTION_REASONS = [...Object.values(ConnectionPauseReason), ...CONNECTION_ERRORS];

const BOT_DESTINATIONS = 'connection_id = $1';
const ALL_DESTINATIONS = `(connection_id = $1 OR id IN (SELECT destination_id FROM connection_webhooks WHERE connection_id = $1))`;

/**
 * Pauses the destinations of the connection (disabled ones stay disabled); with `webhooks`, also
 * the incoming webhook its install created. Returns how many were paused.
 */
export async function pauseConnectionDestinations(
  db: Queryable,
  connectionId: string,
  reason: string,
  hint: string,
  options: { webhooks: boolean },
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE destinations SET status = 'needs_attention', status_reason = $2, status_hint = $3, updated_at = now()
     WHERE ${options.webhooks ? ALL_DESTINATIONS : BOT_DESTINATIONS} AND status <> 'disabled'`,
    [connectionId, reason, hint],
  );
  return rowCount;
}

/**
 * The bot token no longer works: the connection and the destinations posting with it need a
 * person. The install's webhook does not use the token and keeps posting.
 */
export async function markConnectionNeedsAttention(db: Queryable, connectionId: string, reason: string, hint: string): Promise<void> {
  await db.query(
    `UPDATE connections SET status = 'needs_attention', status_reason = $2, status_hint = $3, updated_at = now()
     WHERE id = $1 AND status = 'active'`,
    [connectionId, reason, hint],
  );
  await pauseConnectionDestinations(db, connectionId, reason, hint, { webhooks: false });
}

/** After a new install: destinations paused because of the connection go back to work. */
export async function resumeConnectionDestinations(db: Queryable, connectionId: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE destinations SET status = 'active', status_reason = NULL, status_hint = NULL, updated_at = now()
     WHERE connection_id = $1 AND status = 'needs_attention' AND status_reason = ANY($2::text[])`,
    [connectionId, CONNECTION_REASONS],
  );
  return rowCount;
}

/**
 * A send (a delivery or the Test button) found the destination broken: Slack refused the address
 * (`scope` destination), or the token (`scope` connection: the connection and every active
 * destination posting with it). Only what is active is marked; disabled stays disabled.
 */
export async function markNeedsAttention(
  tx: Queryable,
  target: { destinationId: string; connectionId: string | null },
  reason: string,
  hint: string,
  scope: 'destination' | 'connection',
): Promise<void> {
  if (scope === 'connection' && target.connectionId) {
    await tx.query(
      `UPDATE connections SET status = 'needs_attention', status_reason = $2, status_hint = $3, updated_at = now() WHERE id = $1 AND status = 'active'`,
      [target.connectionId, reason, hint],
    );
    await tx.query(
      `UPDATE destinations SET status = 'needs_attention', status_reason = $2, status_hint = $3, updated_at = now()
       WHERE connection_id = $1 AND status = 'active'`,
      [target.connectionId, reason, hint],
    );
    return;
  }
  await tx.query(
    `UPDATE destinations SET status = 'needs_attention', status_reason = $2, status_hint = $3, updated_at = now() WHERE id = $1 AND status = 'active'`,
    [target.destinationId, reason, hint],
  );
}
