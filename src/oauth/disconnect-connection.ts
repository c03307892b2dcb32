/**
 * Disconnecting a Slack workspace from a project, at any time: the bot token is revoked at Slack
 * (auth.revoke), the sealed tokens are deleted, the connection is marked `disconnected`, and its
 * destinations (including the webhook its install created, whose URL is deleted too) are paused
 * with "Reconnect Slack to resume". Nothing is deleted from the history: events, deliveries and
 * attempts stay, and queued messages are held, not dropped. A new install resumes them.
 *
 * Slack gives every project that installed the app in a workspace the same bot token
 * (src/connections/installation-tokens.ts), so it is revoked only when no other project still uses it.
 * auth.revoke "revokes a single token without uninstalling" when tokens rotate [D-ROT]; the refresh
 * token is forgotten here, which is all Slack lets an app do short of uninstalling.
 */
import { ConnectionPauseReason, pauseConnectionDestinations, RECONNECT_HINT } from '../connections/connection-status.ts';
import { getConnection, type Connection } from '../connections/connection-store.ts';
import { lockInstallation, otherConnectionsOfInstallation } from '../connections/installation-tokens.ts';
import type { OAuthDeps } from './oauth-deps.ts';
import { revokeSlackToken } from '../slack/slack-oauth-client.ts';

export interface DisconnectResult {
  connection: Connection;
  /** Whether Slack confirmed the token no longer works. */
  slackRevoked: boolean;
  /** Why not, when it did not: the token was kept by another project, or Slack's answer. */
  revokeNote?: string;
  destinationsPaused: number;
}

export async function disconnectConnection(deps: OAuthDeps, projectId: string, connectionId: string): Promise<DisconnectResult> {
  const before = await getConnection(deps.db, projectId, connectionId);
  if (before.status === 'disconnected') return { connection: before, slackRevoked: false, revokeNote: 'already disconnected', destinationsPaused: 0 };

  const outcome = await deps.db.transaction(async (tx) => {
    // The same lock as token refreshes: the token revoked is the one in use, not one being replaced.
    await lockInstallation(tx, { teamId: before.team_id, enterpriseId: before.enterprise_id, appId: before.app_id });
    const { rows } = await tx.query<{ bot_token_sealed: string | null; status: string }>(
      'SELECT bot_token_sealed, status FROM connections WHERE id = $1 AND project_id = $2 FOR UPDATE',
      [connectionId, projectId],
    );
    const sealed = rows[0]?.bot_token_sealed;
    let slackRevoked = false;
    let revokeNote: string | undefined;
    if (!sealed) {
      revokeNote = 'no token was stored';
    } else if ((await otherConnectionsOfInstallation(tx, { teamId: before.team_id, enterpriseId: before.enterprise_id, appId: before.app_id }, connectionId)) > 0) {
      revokeNote = 'another project is connected to this workspace with the same app, so the token was deleted here but not revoked at Slack';
    } else {
      const revoked = await revokeSlackToken(deps.config.slackApiUrl, deps.keyring.decrypt(sealed));
      slackRevoked = revoked.revoked;
      if (!revoked.revoked) revokeNote = `${revoked.reason}; the token was deleted here. Remove the app in Slack to be sure it cannot post.`;
    }
    await tx.query(
      `UPDATE connections SET bot_token_sealed = NULL, refresh_token_sealed = NULL, token_expires_at = NULL, token_refresh_due_at = NULL,
         status = 'disconnected', status_reason = $2, status_hint = $3, updated_at = now()
       WHERE id = $1`,
      [connectionId, ConnectionPauseReason.disconnected, RECONNECT_HINT],
    );
    const destinationsPaused = await pauseConnectionDestinations(tx, connectionId, ConnectionPauseReason.disconnected, RECONNECT_HINT, { webhooks: true });
    // The install's webhook URL is a credential too: without it nothing can post for this install.
    await tx.query(
      'UPDATE destinations SET webhook_url_sealed = NULL, updated_at = now() WHERE id IN (SELECT destination_id FROM connection_webhooks WHERE connection_id = $1)',
      [connectionId],
    );
    return { slackRevoked, revokeNote, destinationsPaused };
  });

  const connection = await getConnection(deps.db, projectId, connectionId);
  deps.logger.info(
    { project_id: projectId, connection_id: connectionId, team_id: connection.team_id, slack_revoked: outcome.slackRevoked, destinations_paused: outcome.destinationsPaused },
    'slack connection disconnected',
  );
  return { connection, ...outcome };
}
