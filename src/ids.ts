/**
 * Identifiers: a readable prefix, a millisecond timestamp and randomness, all in Crockford base32,
 * so ids sort by creation time (useful for cursors) and say what they name (prj_, dst_, evt_...).
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] & 31];
  return out;
}

function timePart(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

export type IdPrefix = 'prj' | 'key' | 'con' | 'dst' | 'evt' | 'dlv' | 'att';

export function newId(prefix: IdPrefix, now = Date.now()): string {
  return `${prefix}_${timePart(now)}${randomBase32(12)}`;
}
