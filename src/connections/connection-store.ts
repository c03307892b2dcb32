/**
 * Slack connections: a workspace installation (team, bot user, scopes, sealed bot token) that
 * channel and DM destinations post through. This module registers one from a pasted bot token,
 * checked with auth.test; the OAuth install flow writes the same rows.
 */
import type { Database, Queryable } from '../db/database.ts';
import { ConflictError, NotFoundError, SwitchboardError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Keyring } from '../secrets/keyring.ts';
import { tokenColumns, type IssuedTokens } from './installation-tokens.ts';
import { createWebClient } from '../slack/create-web-client.ts';
import { resumeConnectionDestinations } from './connection-status.ts';

export interface Connection {
  id: string;
  project_id: string;
  team_id: string;
  team_name: string | null;
  enterprise_id: string | null;
  bot_user_id: string | null;
  app_id: string | null;
  scopes: string[];
  bot_token_hint: string | null;
  token_expires_at: string | null;
  status: 'active' | 'needs_attention' | 'disconnected';
  status_reason: string | null;
  status_hint: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = `id, project_id, team_id, team_name, enterprise_id, bot_user_id, app_id, scopes, bot_token_hint,
  token_expires_at::text AS token_expires_at, status, status_reason, status_hint,
  created_at::text AS created_at, updated_at::text AS updated_at`;

const BOT_TOKEN = /^(xoxe\.)?xoxb-[A-Za-z0-9-]+$/;

/** What auth.test told us about a token. */
export interface TokenIdentity {
  teamId: string;
  teamName: string | null;
  enterpriseId: string | null;
  botUserId: string | null;
  appId: string | null;
  scopes: string[];
}

export async function identifyBotToken(token: string, slackApiUrl: string): Promise<TokenIdentity> {
  const client = createWebClient(token, { slackApiUrl });
  try {
    const r = (await client.auth.test()) as unknown as Record<string, unknown> & { response_metadata?: { scopes?: string[] } };
    return {
      teamId: String(r.team_id),
      teamName: (r.team as string) ?? null,
      enterpriseId: (r.enterprise_id as string) || null,
      botUserId: (r.user_id as string) ?? null,
      appId: (r.app_id as string) ?? null,
      scopes: r.response_metadata?.scopes ?? [],
    };
  } catch (error) {
    const slackError = (error as { data?: { error?: string } }).data?.error;
    if (slackError) {
      throw new ValidationError(`Slack rejected the bot token (${slackError}): paste the current Bot User OAuth Token from the app's OAuth & Permissions page`, { slack_error: slackError }, 'slack_token_rejected');
    }
    throw new SwitchboardError('slack_unreachable', `Could not reach Slack to check the token: ${(error as Error).message}`);
  }
}

export async function createConnectionFromToken(
  db: Database,
  keyring: Keyring,
  projectId: string,
  botToken: string,
  slackApiUrl: string,
): Promise<Connection> {
  const token = botToken.trim();
  if (!BOT_TOKEN.test(token)) {
    throw new ValidationError('bot_token must be a Slack bot token starting with xoxb- (or xoxe.xoxb- for rotating tokens)', { field: 'bot_token' });
  }
  const who = await identifyBotToken(token, slackApiUrl);
  const connection = await saveConnection(db, keyring, projectId, who, { botToken: token });
  // A working token again: destinations held because of the old one go back to work.
  await resumeConnectionDestinations(db, connection.id);
  return connection;
}

/** Inserts or refreshes the installation of one workspace in one project. */
export async function saveConnection(
  db: Queryable,
  keyring: Keyring,
  projectId: string,
  who: TokenIdentity,
  tokens: IssuedTokens,
): Promise<Connection> {
  const { rows } = await db.query<Connection>(
    `INSERT INTO connections (id, project_id, team_id, team_name, enterprise_id, bot_user_id, app_id, scopes,
        bot_token_sealed, bot_token_hint, refresh_token_sealed, token_expires_at, token_refresh_due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (project_id, coalesce(enterprise_id, ''), team_id) DO UPDATE SET
       team_name = excluded.team_name, bot_user_id = excluded.bot_user_id, app_id = excluded.app_id,
       scopes = excluded.scopes, bot_token_sealed = excluded.bot_token_sealed, bot_token_hint = excluded.bot_token_hint,
       refresh_token_sealed = excluded.refresh_token_sealed, token_expires_at = excluded.token_expires_at,
       token_refresh_due_at = excluded.token_refresh_due_at,
       status = 'active', status_reason = NULL, status_hint = NULL, updated_at = now()
     RETURNING ${COLUMNS}`,
    [
      newId('con'),
      projectId,
      who.teamId,
      who.teamName,
      who.enterpriseId,
      who.botUserId,
      who.appId,
      who.scopes,
      ...tokenColumns(keyring, tokens),
    ],
  );
  return rows[0];
}

export async function listConnections(db: Queryable, projectId: string): Promise<Connection[]> {
  return (await db.query<Connection>(`SELECT ${COLUMNS} FROM connections WHERE project_id = $1 ORDER BY created_at, id`, [projectId])).rows;
}

export async function getConnection(db: Queryable, projectId: string, id: string): Promise<Connection> {
  const { rows } = await db.query<Connection>(`SELECT ${COLUMNS} FROM connections WHERE id = $1 AND project_id = $2`, [id, projectId]);
  if (!rows[0]) throw new NotFoundError('Connection', id);
  return rows[0];
}

/** The decrypted bot token, for transports only; never returned by the API. */
export async function connectionBotToken(db: Queryable, keyring: Keyring, connectionId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ bot_token_sealed: string | null }>('SELECT bot_token_sealed FROM connections WHERE id = $1', [connectionId]);
  return rows[0]?.bot_token_sealed ? keyring.decrypt(rows[0].bot_token_sealed) : undefined;
}

export async function deleteConnection(db: Queryable, projectId: string, id: string): Promise<void> {
  await getConnection(db, projectId, id);
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM destinations WHERE connection_id = $1', [id]);
  if (rows[0].n > 0) {
    throw new ConflictError(`Connection ${id} is used by ${rows[0].n} destination(s): delete or move them first`, { destinations: rows[0].n });
  }
  await db.query('DELETE FROM connections WHERE id = $1 AND project_id = $2', [id, projectId]);
}
