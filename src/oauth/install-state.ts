/**
 * The OAuth `state`: the proof that a callback finishes an install this server started, for one
 * project. Slack: if the state does not match, "consider the authorization a forgery" [D-OAUTH].
 *
 *   state = <nonce>.<HMAC-SHA256(nonce)>      (base64url; the key is derived from the client secret)
 *
 * The signature rejects forged states before any database work; the row (keyed by the nonce's
 * SHA-256, never the nonce) binds the state to its project and makes it single-use across every
 * process sharing the database: the first callback to mark it used wins. States live 10 minutes,
 * the same as Slack's codes ("expire after ten minutes" [D-OAUTH]).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { InstallError, InstallProblem } from './oauth-errors.ts';

export const STATE_LIFETIME_MS = 10 * 60_000;
/** Used and expired rows are kept this long, so a late replay is told precisely what happened. */
const STATE_RETENTION_MS = 24 * 3600_000;

function signingKey(clientSecret: string): Buffer {
  return createHmac('sha256', clientSecret).update('switchboard/oauth-state/v1').digest();
}

function sign(clientSecret: string, nonce: string): string {
  return createHmac('sha256', signingKey(clientSecret)).update(nonce).digest('base64url');
}

function nonceHash(nonce: string): string {
  return createHash('sha256').update(nonce).digest('hex');
}

export interface IssuedState {
  state: string;
  expiresAt: Date;
}

export async function issueInstallState(
  db: Queryable,
  input: { clientSecret: string; nowMs: number; projectId: string; redirectUri: string },
): Promise<IssuedState> {
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(input.nowMs + STATE_LIFETIME_MS);
  await db.query('DELETE FROM oauth_states WHERE expires_at < $1', [new Date(input.nowMs - STATE_RETENTION_MS)]);
  await db.query('INSERT INTO oauth_states (nonce_hash, project_id, redirect_uri, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    nonceHash(nonce),
    input.projectId,
    input.redirectUri,
    new Date(input.nowMs),
    expiresAt,
  ]);
  return { state: `${nonce}.${sign(input.clientSecret, nonce)}`, expiresAt };
}

/** True when the state carries a valid signature (says nothing of expiry or use). */
export function stateSignatureValid(clientSecret: string, state: string): boolean {
  const [nonce, signature, extra] = state.split('.');
  if (!nonce || !signature || extra !== undefined) return false;
  const expected = Buffer.from(sign(clientSecret, nonce));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface ConsumedState {
  projectId: string;
  redirectUri: string;
}

/**
 * Marks the state used and returns what it was issued for; throws an InstallError saying whether
 * it was forged, unknown, expired or already used.
 */
export async function consumeInstallState(db: Queryable, input: { clientSecret: string; nowMs: number; state: string }): Promise<ConsumedState> {
  if (input.state.length > 200 || !stateSignatureValid(input.clientSecret, input.state)) throw new InstallError(InstallProblem.stateForged);
  const hash = nonceHash(input.state.split('.')[0]);
  const now = new Date(input.nowMs);
  const { rows } = await db.query<{ project_id: string; redirect_uri: string }>(
    `UPDATE oauth_states SET used_at = $2 WHERE nonce_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING project_id, redirect_uri`,
    [hash, now],
  );
  if (rows[0]) return { projectId: rows[0].project_id, redirectUri: rows[0].redirect_uri };
  const { rows: found } = await db.query<{ used: boolean }>('SELECT used_at IS NOT NULL AS used FROM oauth_states WHERE nonce_hash = $1', [hash]);
  if (!found[0]) throw new InstallError(InstallProblem.stateUnknown);
  throw new InstallError(found[0].used ? InstallProblem.stateReused : InstallProblem.stateExpired);
}
