/**
 * The admin key: from SWITCHBOARD_ADMIN_KEY, or generated at first start, stored only as a hash
 * and printed once. It creates projects and can act on any of them.
 */
import type { Queryable } from '../db/database.ts';
import { ADMIN_KEY_PREFIX, generateKey, hashApiKey } from './api-key.ts';

const SETTING = 'admin_key_hash';

/**
 * Makes sure an admin key exists. Returns the plaintext key only when it was generated now
 * (the caller prints it once); a configured key always wins and replaces a stored hash.
 */
export async function ensureAdminKey(db: Queryable, configured?: string): Promise<{ generatedKey?: string }> {
  if (configured) {
    await db.query(
      `INSERT INTO system_settings (key, value) VALUES ($1, to_jsonb($2::text))
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [SETTING, hashApiKey(configured)],
    );
    return {};
  }
  const generated = generateKey(ADMIN_KEY_PREFIX);
  const { rowCount } = await db.query(
    `INSERT INTO system_settings (key, value) VALUES ($1, to_jsonb($2::text)) ON CONFLICT (key) DO NOTHING`,
    [SETTING, generated.hash],
  );
  return rowCount ? { generatedKey: generated.key } : {};
}

/** The stored hash of the admin key (authentication compares a presented key's hash with it). */
export async function readAdminKeyHash(db: Queryable): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM system_settings WHERE key = $1', [SETTING]);
  return rows[0]?.value;
}
