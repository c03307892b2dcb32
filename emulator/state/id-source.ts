/**
 * Identifiers shaped like Slack's: a type letter then upper-case letters and digits
 * (T team, C channel, D direct message, U user, B bot or webhook, A app, V view, Q scheduled
 * message), message timestamps "1712345678.123456", trigger ids "123.456.abcdef…" and secrets.
 * Ids come from counters so a seeded emulator has the same ids on every start; secrets are random.
 */
import { randomBytes } from 'node:crypto';

export const ID_PREFIXES = ['T', 'C', 'D', 'U', 'B', 'A', 'V', 'Q'] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits (never shaped like a real Slack token: callers add an "emulator" marker). */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[bytes[i] % ALPHANUMERIC.length];
  return out;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export class IdSource {
  private readonly counters = new Map<string, number>();
  private lastTsMicros = 0;
  private triggerCount = 0;

  /**
   * Next id for a prefix. Slack's ids have at least 8 characters after the letter (the OpenAPI
   * spec's patterns, e.g. channels ^[CGD][A-Z0-9]{8,}$), so ours do too.
   */
  next(prefix: IdPrefix): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${n.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  /**
   * A message timestamp for the given time, unique and increasing within this emulator. Slack's
   * ts is "seconds.microseconds" and identifies a message within its channel.
   */
  ts(nowMs: number): string {
    let micros = Math.floor(nowMs) * 1000;
    if (micros <= this.lastTsMicros) micros = this.lastTsMicros + 1;
    this.lastTsMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    const fraction = String(micros % 1_000_000).padStart(6, '0');
    return `${seconds}.${fraction}`;
  }

  /** Trigger ids look like Slack's "13345224609.738474920.8088930838d88f008e0" [D-SLASH]. */
  triggerId(nowMs: number): string {
    this.triggerCount += 1;
    return `${Math.floor(nowMs / 1000)}.${this.triggerCount}.${randomHex(16)}`;
  }
}
