/**
 * Key rotation, step two: re-encrypts every sealed secret in the database (bot tokens, refresh
 * tokens, webhook URLs) with the keyring's active key. Rows are done in small batches, each
 * re-read under a row lock, so running processes keep working throughout: a process holding both
 * keys (new first, old after) reads old and new values alike.
 */
import type { Database } from '../db/database.ts';
import type { Keyring } from './keyring.ts';

/** Every sealed column in the schema. A new secret column must be added here. */
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
  return total;
}
