/**
 * API keys: random, prefixed so a leaked key is recognisable (and scrubbed from logs), shown once,
 * stored only as a SHA-256 hash. A hash is enough here (no slow KDF needed): the keys carry 160
 * bits of randomness, so there is nothing to brute-force.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { randomBase32 } from '../ids.ts';

export const PROJECT_KEY_PREFIX = 'sb_live_';
export const ADMIN_KEY_PREFIX = 'sb_admin_';

export interface GeneratedKey {
  key: string;
  hash: string;
  last4: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateKey(prefix: string = PROJECT_KEY_PREFIX): GeneratedKey {
  const key = prefix + randomBase32(32);
  return { key, hash: hashApiKey(key), last4: key.slice(-4) };
}

export function hashesMatch(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
