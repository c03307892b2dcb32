/**
 * Identifiers: a readable prefix, a millisecond timestamp and randomness, all in Crockford base32,
 * so ids sort by creation time (useful for cursors) and say what they name (prj_, dst_, evt_...).
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

// Ingest makes thousands of ids a second: draw randomness in 4 KiB blocks, not per id.
let pool = Buffer.alloc(0);
let offset = 0;

function takeRandom(length: number): Buffer {
  if (offset + length > pool.length) {
    pool = randomBytes(Math.max(4096, length));
    offset = 0;
  }
  const out = pool.subarray(offset, offset + length);
  offset += length;
  return out;
}

export function randomBase32(length: number): string {
  const bytes = takeRandom(length);
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
