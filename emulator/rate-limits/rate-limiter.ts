/**
 * Token buckets keyed by what Slack limits: a method in a workspace (or for an app, for calls
 * without a workspace), a channel's posting pace, and a workspace's posting cap. Each check is
 * O(1). Over a limit the caller answers HTTP 429 with the integer `Retry-After` this returns
 * ("a Retry-After HTTP header containing the number of seconds until you can retry" [D-RATE]).
 */
import type { Clock } from '../../src/clock.ts';
import { DEFAULT_RATE_LIMITS, methodPerMinute, mergeRateLimitConfig, type RateLimitConfig } from './rate-limit-config.ts';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

interface BucketRule {
  key: string;
  capacity: number;
  perSecond: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfter: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly configs = new Map<string, RateLimitConfig>();

  constructor(
    private readonly clock: Clock,
    private defaults: RateLimitConfig = DEFAULT_RATE_LIMITS,
  ) {}

  config(teamId: string): RateLimitConfig {
    return this.configs.get(teamId) ?? this.defaults;
  }

  /** Changes one workspace's limits; buckets restart so the new limits apply at once. */
  configure(teamId: string, change: Record<string, unknown>): RateLimitConfig {
    const next = mergeRateLimitConfig(this.config(teamId), change);
    this.configs.set(teamId, next);
    for (const key of this.buckets.keys()) if (key.includes(`|${teamId}|`)) this.buckets.delete(key);
    return next;
  }

  /** Changes the limits of every workspace without its own settings (and of new ones). */
  configureDefaults(change: Record<string, unknown>): RateLimitConfig {
    this.defaults = mergeRateLimitConfig(this.defaults, change);
    this.buckets.clear();
    return this.defaults;
  }

  /** Forgets every bucket and per-workspace setting, starting again from the given defaults. */
  reset(defaults: RateLimitConfig = DEFAULT_RATE_LIMITS): void {
    this.buckets.clear();
    this.configs.clear();
    this.defaults = defaults;
  }

  /** One call to a Web API method, counted per workspace (or per app when there is none). */
  takeMethodCall(owner: { teamId?: string; appId: string }, method: string): RateDecision {
    const config = this.config(owner.teamId ?? '');
    if (!config.enabled) return { ok: true };
    const perMinute = methodPerMinute(config, method);
    if (perMinute === undefined) return { ok: true };
    return this.take([{ key: `method|${owner.teamId ?? ''}|${owner.appId}|${method}`, capacity: perMinute, perSecond: perMinute / 60 }]);
  }

  /** One message posted to a channel (chat.postMessage or an incoming webhook). */
  takePost(teamId: string, appId: string, channelId: string): RateDecision {
    const config = this.config(teamId);
    if (!config.enabled) return { ok: true };
    return this.take([
      { key: `channel|${teamId}|${appId}|${channelId}`, capacity: config.channel_burst, perSecond: config.channel_per_second },
      { key: `workspace|${teamId}|${appId}`, capacity: config.workspace_per_minute, perSecond: config.workspace_per_minute / 60 },
    ]);
  }

  /** Takes one token from every bucket, or from none if any is empty. */
  private take(rules: BucketRule[]): RateDecision {
    const now = this.clock.now();
    const buckets = rules.map((rule) => this.refill(rule, now));
    let waitSeconds = 0;
    rules.forEach((rule, i) => {
      const tokens = buckets[i].tokens;
      if (tokens < 1) waitSeconds = Math.max(waitSeconds, (1 - tokens) / rule.perSecond);
    });
    if (waitSeconds > 0) return { ok: false, retryAfter: Math.max(1, Math.ceil(waitSeconds)) };
    for (const b of buckets) b.tokens -= 1;
    return { ok: true };
  }

  private refill(rule: BucketRule, now: number): Bucket {
    let bucket = this.buckets.get(rule.key);
    if (!bucket) {
      bucket = { tokens: rule.capacity, updatedAt: now };
      this.buckets.set(rule.key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(rule.capacity, bucket.tokens + elapsed * rule.perSecond);
    bucket.updatedAt = now;
    return bucket;
  }
}
