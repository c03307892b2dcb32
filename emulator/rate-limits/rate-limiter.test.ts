import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { DEFAULT_RATE_LIMITS, methodPerMinute, mergeRateLimitConfig } from './rate-limit-config.ts';
import { RateLimiter } from './rate-limiter.ts';

describe('RateLimiter', () => {
  it('lets a channel take its burst, then one message per second', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock);
    const take = () => limiter.takePost('T1', 'A1', 'C1');
    expect([take(), take(), take()].every((d) => d.ok)).toBe(true);
    expect(take()).toEqual({ ok: false, retryAfter: 1 });
    clock.advance(999);
    expect(take().ok).toBe(false);
    clock.advance(1);
    expect(take().ok).toBe(true);
    expect(take().ok).toBe(false);
  });

  it('answers Retry-After as whole seconds until a token is back, never less than 1', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock, mergeRateLimitConfig(DEFAULT_RATE_LIMITS, { channel_per_second: 0.25, channel_burst: 1 }));
    expect(limiter.takePost('T1', 'A1', 'C1').ok).toBe(true);
    expect(limiter.takePost('T1', 'A1', 'C1')).toEqual({ ok: false, retryAfter: 4 });
    clock.advance(3_500);
    expect(limiter.takePost('T1', 'A1', 'C1')).toEqual({ ok: false, retryAfter: 1 });
  });

  it('refuses on the workspace cap even when the channel has room, and applies new limits at once', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock);
    limiter.configure('T1', { workspace_per_minute: 1, channel_burst: 5 });
    expect(limiter.takePost('T1', 'A1', 'C1').ok).toBe(true);
    expect(limiter.takePost('T1', 'A1', 'C1')).toEqual({ ok: false, retryAfter: 60 });
    limiter.configure('T1', { workspace_per_minute: 100 });
    for (let i = 0; i < 5; i++) expect(limiter.takePost('T1', 'A1', 'C1').ok).toBe(true);
  });

  it('keeps workspaces, apps and methods apart, and respects enabled: false', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 20; i++) limiter.takeMethodCall({ teamId: 'T1', appId: 'A1' }, 'conversations.list');
    expect(limiter.takeMethodCall({ teamId: 'T1', appId: 'A1' }, 'conversations.list').ok).toBe(false);
    expect(limiter.takeMethodCall({ teamId: 'T2', appId: 'A1' }, 'conversations.list').ok).toBe(true);
    expect(limiter.takeMethodCall({ teamId: 'T1', appId: 'A2' }, 'conversations.list').ok).toBe(true);
    expect(limiter.takeMethodCall({ teamId: 'T1', appId: 'A1' }, 'users.info').ok).toBe(true);
    limiter.configure('T1', { enabled: false });
    expect(limiter.takeMethodCall({ teamId: 'T1', appId: 'A1' }, 'conversations.list').ok).toBe(true);
  });

  it('never limits chat.postMessage per method (it is paced per channel instead)', () => {
    expect(methodPerMinute(DEFAULT_RATE_LIMITS, 'chat.postMessage')).toBeUndefined();
    expect(methodPerMinute(DEFAULT_RATE_LIMITS, 'chat.update')).toBe(50);
    expect(methodPerMinute(mergeRateLimitConfig(DEFAULT_RATE_LIMITS, { methods: { 'chat.update': 5 } }), 'chat.update')).toBe(5);
  });
});
