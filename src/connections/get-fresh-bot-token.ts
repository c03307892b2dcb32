/**
 * The bot token to call Slack with for a connection, refreshed first when Slack rotates it.
 * "Access tokens expire after 43,200 s (12 h)"; a refresh_token buys a new pair through
 * oauth.v2.access grant_type=refresh_token [D-ROT]. The refresh happens once across all processes:
 * callers take the installation's lock (installation-tokens.ts), re-read the row, and only the
 * first finds it still due. A refresh Slack refuses (invalid_refresh_token: the app was removed or
 * the token revoked) pauses the connection and its destinations for a person to reconnect; a
 * refresh that could not reach Slack leaves everything as it was and, while the current token has
 * not expired yet, returns it.
 *
 * Every Slack call for a connection goes through here (or call-slack-as-connection.ts) instead of
 * decrypting bot_token_sealed itself; for tokens that do not expire it costs one indexed read.
 */
import type { Clock } from '../clock.ts';
import { SwitchboardError, NotFoundError } from '../errors.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Logger } from '../logging/create-logger.ts';
import type { Keyring } from '../secrets/keyring.ts';
import { requireSlackApp, slackAppConfigured, type SlackAppSettings } from '../slack/slack-app.ts';
import { BROKEN_DESTINATION_HINTS } from '../slack/slack-error-hints.ts';
import { refreshBotToken, SlackOAuthError } from '../slack/slack-oauth-client.ts';
import type { SendOutcome } from '../slack/slack-transport.ts';
import { markConnectionNeedsAttention, ConnectionPauseReason } from './connection-status.ts';
import { lockInstallation, shareTokensWithInstallation, tokenTimes, type InstallationKey } from './installation-tokens.ts';

/** What a Slack call for a connection needs from the running gateway; AppContext has all of it. */
export interface TokenDeps {
  db: Database;
  keyring: Keyring;
  clock: Clock;
  logger: Logger;
  config: { slackApiUrl: string; slackApp: SlackAppSettings };
}

export const REFRESH_FAILED_HINT = 'Slack refused to renew the bot token (the app may have been removed from the workspace). Reconnect Slack to resume.';

interface TokenRow {
  status: string;
  team_id: string;
  enterprise_id: string | null;
  app_id: string | null;
  bot_token_sealed: string | null;
  refresh_token_sealed: string | null;
  due_ms: number | null;
  expires_ms: number | null;
}

const SELECT_TOKEN_ROW = `SELECT status, team_id, enterprise_id, app_id, bot_token_sealed, refresh_token_sealed,
    (extract(epoch FROM token_refresh_due_at) * 1000)::float8 AS due_ms,
    (extract(epoch FROM token_expires_at) * 1000)::float8 AS expires_ms
  FROM connections WHERE id = $1`;

async function readTokenRow(db: Queryable, connectionId: string): Promise<TokenRow> {
  const { rows } = await db.query<TokenRow>(SELECT_TOKEN_ROW, [connectionId]);
  if (!rows[0]) throw new NotFoundError('Connection', connectionId);
  return rows[0];
}

function usable(row: TokenRow, connectionId: string): string {
  if (row.status === 'disconnected' || !row.bot_token_sealed) {
    throw new SwitchboardError('connection_disconnected', `Connection ${connectionId} is disconnected: reconnect Slack to post through it`, { connection_id: connectionId });
  }
  return row.bot_token_sealed;
}

function due(row: TokenRow, nowMs: number): boolean {
  return Boolean(row.refresh_token_sealed) && row.due_ms !== null && Number(row.due_ms) <= nowMs;
}

type RefreshResult = { token: string } | { refused: SlackOAuthError } | { unreachable: SlackOAuthError; current: string; expiresMs: number | null };

export async function getFreshBotToken(deps: TokenDeps, connectionId: string): Promise<string> {
  const { db, keyring, clock } = deps;
  const first = await readTokenRow(db, connectionId);
  const sealed = usable(first, connectionId);
  if (!due(first, clock.now())) return keyring.decrypt(sealed);

  if (!slackAppConfigured(deps.config)) {
    // Without the app's credentials nothing can be refreshed: use the token while it lasts.
    deps.logger.warn({ connection_id: connectionId }, 'a rotating bot token is due for refresh but SWITCHBOARD_SLACK_CLIENT_ID/SECRET are not set');
    if (first.expires_ms === null || Number(first.expires_ms) > clock.now()) return keyring.decrypt(sealed);
    requireSlackApp(deps.config);
  }
  const app = requireSlackApp(deps.config);
  const result = await db.transaction(async (tx): Promise<RefreshResult> => {
    const key: InstallationKey = { teamId: first.team_id, enterpriseId: first.enterprise_id, appId: first.app_id };
    await lockInstallation(tx, key);
    // Another caller may have refreshed while this one waited for the lock.
    const row = await readTokenRow(tx, connectionId);
    const current = usable(row, connectionId);
    const nowMs = clock.now();
    if (!due(row, nowMs)) return { token: keyring.decrypt(current) };
    try {
      const fresh = await refreshBotToken(deps.config.slackApiUrl, app, keyring.decrypt(row.refresh_token_sealed!));
      const times = fresh.expiresInSeconds ? tokenTimes(nowMs, fresh.expiresInSeconds) : undefined;
      // Slack revokes the used refresh token after a grace period [D-ROT]: keep the new one, or the
      // installation cannot be refreshed again.
      const tokens = { botToken: fresh.accessToken, refreshToken: fresh.refreshToken, expiresAt: times?.expiresAt, refreshDueAt: times?.refreshDueAt, scopes: fresh.scopes.length ? fresh.scopes : undefined };
      await shareTokensWithInstallation(tx, keyring, key, tokens);
      return { token: fresh.accessToken };
    } catch (error) {
      if (!(error instanceof SlackOAuthError)) throw error;
      if (error.transient) return { unreachable: error, current: keyring.decrypt(current), expiresMs: row.expires_ms === null ? null : Number(row.expires_ms) };
      // Every connection of the installation shares the refresh token Slack just refused.
      const { rows: siblings } = await tx.query<{ id: string }>(
        `SELECT id FROM connections WHERE team_id = $1 AND coalesce(enterprise_id, '') = coalesce($2, '') AND app_id IS NOT DISTINCT FROM $3 AND status = 'active' AND refresh_token_sealed IS NOT NULL`,
        [key.teamId, key.enterpriseId, key.appId],
      );
      for (const s of new Set([connectionId, ...siblings.map((r) => r.id)])) {
        await markConnectionNeedsAttention(tx, s, ConnectionPauseReason.tokenRefreshFailed, REFRESH_FAILED_HINT);
      }
      return { refused: error };
    }
  });

  if ('token' in result) return result.token;
  if ('refused' in result) {
    deps.logger.warn({ connection_id: connectionId, slack_error: result.refused.slackError }, 'slack refused to refresh a bot token; the connection needs attention');
    throw new SwitchboardError('token_refresh_failed', REFRESH_FAILED_HINT, { connection_id: connectionId, slack_error: result.refused.slackError });
  }
  deps.logger.warn({ connection_id: connectionId, slack_error: result.unreachable.slackError }, 'could not refresh a bot token; will try again');
  if (result.expiresMs === null || result.expiresMs > clock.now()) return result.current;
  throw new SwitchboardError('slack_unreachable', `The bot token of connection ${connectionId} expired and Slack could not be reached to renew it: ${result.unreachable.message}`, {
    connection_id: connectionId,
  });
}

/**
 * What a send records when it got no token (or webhook URL) to send with: Slack could not be
 * reached to renew the token → try again; a secret the keys cannot open, a renewal Slack refused
 * (getFreshBotToken has paused the connection already) or no token at all → the destination needs
 * a person.
 */
export function tokenFailureOutcome(error: unknown): Exclude<SendOutcome, { kind: 'sent' }> {
  const code = (error as { code?: string }).code;
  if (code === 'slack_unreachable') return { kind: 'retry', error: 'could not reach Slack to renew the bot token' };
  const reason = code === 'secret_undecryptable' ? 'secret_undecryptable' : code === 'token_refresh_failed' ? 'token_expired' : 'not_authed';
  const hint =
    reason === 'secret_undecryptable'
      ? 'The stored secret cannot be decrypted with the configured keys: check SWITCHBOARD_ENCRYPTION_KEY.'
      : BROKEN_DESTINATION_HINTS[reason];
  return { kind: 'destination_broken', error: reason, hint, scope: 'destination' };
}
