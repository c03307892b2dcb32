/**
 * When a failed send is tried again: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then hourly, each
 * with ±20% jitter so a fleet of deliveries that failed together does not retry together. After
 * the retry window (24 h by default) a delivery is dead-lettered; an error we do not recognise
 * is given only a few attempts. Attempts and the window count from the delivery's acceptance, or
 * from an operator's retry that put it back in line (deliveries.requeued_at).
 */
export const RETRY_DELAYS_SECONDS = [5, 30, 120, 600, 1800, 3600] as const;
export const UNKNOWN_ERROR_MAX_ATTEMPTS = 5;

/**
 * Delay before attempt number `attempts + 1`, given `attempts` made so far (≥ 1). `scale`
 * multiplies the whole schedule: 1 in production; tests pass e.g. 0.01 so 5 s becomes 50 ms
 * and a retry story runs in real time without sleeping for minutes.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random, scale = 1): number {
  const step = Math.min(Math.max(attempts, 1), RETRY_DELAYS_SECONDS.length) - 1;
  const base = RETRY_DELAYS_SECONDS[step] * 1000 * scale;
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface RetryPolicy {
  /** How long after acceptance (or an operator's retry) a delivery may still be retried. */
  windowMs: number;
  /** Multiplies every delay of the schedule (1 unless a test wants it fast). */
  delayScale?: number;
}

export function shouldDeadLetter(input: { attempts: number; ageMs: number; unknownError: boolean; nextDelayMs: number }, policy: RetryPolicy): boolean {
  if (input.unknownError && input.attempts >= UNKNOWN_ERROR_MAX_ATTEMPTS) return true;
  return input.ageMs + input.nextDelayMs > policy.windowMs;
}
