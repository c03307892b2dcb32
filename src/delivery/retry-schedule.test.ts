import { describe, expect, it } from 'vitest';
import { retryDelayMs, shouldDeadLetter, UNKNOWN_ERROR_MAX_ATTEMPTS } from './retry-schedule.ts';

describe('retry schedule', () => {
  it('follows 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then hourly', () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((a) => retryDelayMs(a, mid) / 1000)).toEqual([5, 30, 120, 600, 1800, 3600, 3600, 3600]);
  });

  it('jitters by at most 20% either way', () => {
    expect(retryDelayMs(1, () => 0)).toBe(4000);
    expect(retryDelayMs(1, () => 1)).toBe(6000);
  });

  it('scales the whole schedule by a factor (tests run it a hundred times faster)', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 7].map((a) => retryDelayMs(a, mid, 0.01))).toEqual([50, 300, 1200, 36_000]);
  });

  it('dead-letters past the window, and unknown errors after a few attempts', () => {
    const policy = { windowMs: 24 * 3600_000 };
    expect(shouldDeadLetter({ attempts: 3, ageMs: 1000, unknownError: false, nextDelayMs: 120_000 }, policy)).toBe(false);
    expect(shouldDeadLetter({ attempts: 30, ageMs: 23.5 * 3600_000, unknownError: false, nextDelayMs: 3600_000 }, policy)).toBe(true);
    expect(shouldDeadLetter({ attempts: UNKNOWN_ERROR_MAX_ATTEMPTS, ageMs: 1000, unknownError: true, nextDelayMs: 600_000 }, policy)).toBe(true);
    expect(shouldDeadLetter({ attempts: UNKNOWN_ERROR_MAX_ATTEMPTS - 1, ageMs: 1000, unknownError: true, nextDelayMs: 600_000 }, policy)).toBe(false);
  });
});
