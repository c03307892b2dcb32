/**
 * One Slack installation (an app in a workspace) has one set of bot tokens, however many projects
 * connected it: Slack hands every install of the same app to the same workspace the same bot
 * identity, and with token rotation keeps "a maximum of 2 active tokens", revoking the oldest when
 * a third is issued [D-ROT]. Two projects refreshing separately would revoke each other's tokens,
 * so every connection of an installation shares the newest tokens, and refreshes take one lock
 * per installation, held across processes by PostgreSQL (an advisory transaction lock).
 */
import type { Queryable } from '../db/database.ts';
import type { Keyring } from '../secrets/keyring.ts';
import { maskSecret } from '../secrets/mask-secret.ts';

export interface InstallationKey {
  teamId: string;
  enterpriseId: string | null;
  appId: string | null;
}

/** Arbitrary constant: the lock class of "refreshing or revoking an installation's tokens". */
const LOCK_CLASS = 7_262_312;

/** Waits for, then holds until the transaction ends, the installation's token lock. */
export async function lockInstallation(tx: Queryable, key: InstallationKey): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, `${key.enterpriseId ?? ''}:${key.teamId}:${key.appId ?? ''}`]);
}

const SAME_INSTALLATION = `team_id = $1 AND coalesce(enterprise_id, '') = coalesce($2, '') AND app_id IS NOT DISTINCT FROM $3`;

export interface IssuedTokens {
  botToken: string;
  refreshToken?: string;
  expiresAt?: Date;
  refreshDueAt?: Date;
  scopes?: string[];
}

/**
 * Tokens as the connections table stores them, in its column order: bot_token_sealed,
 * bot_token_hint, refresh_token_sealed, token_expires_at, token_refresh_due_at (renew when due,
 * or at expiry when Slack gave no earlier time).
 */
export function tokenColumns(keyring: Keyring, tokens: IssuedTokens): [string, string, string | null, Date | null, Date | null] {
  return [
    keyring.encrypt(tokens.botToken),
    maskSecret(tokens.botToken),
    tokens.refreshToken ? keyring.encrypt(tokens.refreshToken) : null,
    tokens.expiresAt ?? null,
    tokens.refreshDueAt ?? tokens.expiresAt ?? null,
  ];
}

/**
 * Writes new tokens to every live connection of the installation except `exceptId` (already
 * written). Connections that were disconnected keep no tokens. Returns how many were updated.
 */
export async function shareTokensWithInstallation(tx: Queryable, keyring: Keyring, key: InstallationKey, tokens: IssuedTokens, exceptId?: string): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE connections SET bot_token_sealed = $4, bot_token_hint = $5, refresh_token_sealed = $6, token_expires_at = $7,
       token_refresh_due_at = $8, scopes = coalesce($9, scopes), updated_at = now()
     WHERE ${SAME_INSTALLATION} AND status <> 'disconnected' AND bot_token_sealed IS NOT NULL AND id IS DISTINCT FROM $10`,
    [
      key.teamId,
      key.enterpriseId,
      key.appId,
      ...tokenColumns(keyring, tokens),
      tokens.scopes ?? null,
      exceptId ?? null,
    ],
  );
  return rowCount;
}

/** Other live connections holding this installation's tokens (in other projects). */
export async function otherConnectionsOfInstallation(tx: Queryable, key: InstallationKey, exceptId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM connections WHERE ${SAME_INSTALLATION} AND id <> $4 AND status <> 'disconnected' AND bot_token_sealed IS NOT NULL`,
    [key.teamId, key.enterpriseId, key.appId, exceptId],
  );
  return rows[0].n;
}

/**
 * When to refresh a token that expires in `expiresInSeconds`: half its life early, at most two
 * hours early (ours). Slack's tokens live 12 hours [D-ROT], so they are refreshed after 10; the
 * token being replaced stays valid until it expires, so a send already holding it still works.
 */
export function tokenTimes(nowMs: number, expiresInSeconds: number): { expiresAt: Date; refreshDueAt: Date } {
  const lifetimeMs = expiresInSeconds * 1000;
  const leadMs = Math.min(lifetimeMs / 2, 2 * 3600_000);
  return { expiresAt: new Date(nowMs + lifetimeMs), refreshDueAt: new Date(nowMs + lifetimeMs - leadMs) };
}
