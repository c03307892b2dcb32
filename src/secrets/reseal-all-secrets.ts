/**
 * Key rotation, step two: re-encrypts every sealed secret in the database (bot tokens, refresh
 * tokens, webhook URLs) with the keyring's active key. Rows are done in small batches, each
 * re-read under a row lock, so running processes keep working throughout: a process holding both
 * keys (new first, old after) reads old and new values alike.
 */
import type { Database } from '../db/database.ts';
import type { Keyring } from './keyring.ts';

/** Every sealed column in the schema. A new secret column must be added here (system settings: see resealSettings). */
export const SEALED_COLUMNS = [
  { table: 'connections', column: 'bot_token_sealed' },
  { table: 'connections', column: 'refresh_token_sealed' },
  { table: 'destinations', column: 'webhook_url_sealed' },
] as const;

export interface ResealProgress {
  table: string;
  column: string;
  resealed: number;
}

export async function resealAllSecrets(db: Database, keyring: Keyring, onProgress?: (p: ResealProgress) => void): Promise<number> {
  const prefix = `sbenc:v1:${keyring.activeKeyId}:`;
  let total = 0;
  for (const { table, column } of SEALED_COLUMNS) {
    let resealed = 0;
    for (;;) {
      const batch = await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string; value: string }>(
          `SELECT id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL AND left(${column}, $1) <> $2
           ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`,
          [prefix.length, prefix],
        );
        for (const row of rows) await tx.query(`UPDATE ${table} SET ${column} = $2 WHERE id = $1`, [row.id, keyring.reseal(row.value)]);
        return rows.length;
      });
      if (batch === 0) break;
      resealed += batch;
      onProgress?.({ table, column, resealed });
    }
    total += resealed;
  }
  return total + (await resealSettings(db, keyring, onProgress));
}

/** System settings (e.g. the demo's record) keep sealed secrets in top-level fields named `*_sealed`. */
async function resealSettings(db: Database, keyring: Keyring, onProgress?: (p: ResealProgress) => void): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ key: string; value: unknown }>('SELECT key, value FROM system_settings ORDER BY key FOR UPDATE');
    let resealed = 0;
    for (const row of rows) {
      if (!row.value || typeof row.value !== 'object' || Array.isArray(row.value)) continue;
      const value = { ...(row.value as Record<string, unknown>) };
      const stale = Object.keys(value).filter((field) => field.endsWith('_sealed') && typeof value[field] === 'string' && !keyring.isSealedWithActiveKey(value[field] as string));
      if (!stale.length) continue;
      for (const field of stale) value[field] = keyring.reseal(value[field] as string);
      await tx.query('UPDATE system_settings SET value = $2::jsonb, updated_at = now() WHERE key = $1', [row.key, JSON.stringify(value)]);
      resealed += stale.length;
    }
    if (resealed) onProgress?.({ table: 'system_settings', column: 'value', resealed });
    return resealed;
  });
}
