/**
 * Remembers which project a presented API key belongs to, so authentication does not query the
 * database on every request. Revocation clears it at once in this process and, through the
 * api_keys_changed notification, in every other. Notifications can be lost (the listening
 * connection drops), so the cache also forgets everything when the listener comes back, and no
 * entry is trusted for longer than LIFETIME_MS: a revoked key stops working everywhere within
 * that time whatever happened to the notification. Unknown keys are remembered too (briefly), so
 * a stream of made-up keys does not cost a query each. last_used_at is written at most once a
 * minute per key, in the background.
 */
import type { Database } from '../db/database.ts';
import { hashApiKey, PROJECT_KEY_PREFIX } from './api-key.ts';

export interface KeyOwner {
  projectId: string;
  keyId: string;
}

const MAX_ENTRIES = 10_000;
const TOUCH_EVERY_MS = 60_000;
/** How long a key's owner (or its absence) is trusted without asking the database again. */
export const API_KEY_CACHE_LIFETIME_MS = 15_000;

export class ApiKeyCache {
  #owners = new Map<string, { owner: KeyOwner | undefined; at: number }>();
  #touched = new Map<string, number>();
  #unlisten?: () => Promise<void>;

  constructor(private readonly db: Database) {}

  async start(): Promise<void> {
    this.#unlisten = await this.db.listen('api_keys_changed', () => this.clear(), { onResync: () => this.clear() });
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
  }

  clear(): void {
    this.#owners.clear();
  }

  /** The key's project, or undefined when the key is unknown or revoked. */
  async lookup(key: string, now = Date.now()): Promise<KeyOwner | undefined> {
    if (!key.startsWith(PROJECT_KEY_PREFIX)) return undefined;
    const hash = hashApiKey(key);
    const hit = this.#owners.get(hash);
    let owner: KeyOwner | undefined;
    if (hit && now - hit.at >= 0 && now - hit.at < API_KEY_CACHE_LIFETIME_MS) {
      owner = hit.owner;
    } else {
      const { rows } = await this.db.query<{ id: string; project_id: string }>(
        'SELECT id, project_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
        [hash],
      );
      owner = rows[0] ? { projectId: rows[0].project_id, keyId: rows[0].id } : undefined;
      if (this.#owners.size >= MAX_ENTRIES) this.#owners.clear();
      this.#owners.set(hash, { owner, at: now });
    }
    if (!owner) return undefined;
    if (now - (this.#touched.get(owner.keyId) ?? 0) >= TOUCH_EVERY_MS) {
      this.#touched.set(owner.keyId, now);
      this.db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [owner.keyId]).catch(() => {});
    }
    return owner;
  }
}
