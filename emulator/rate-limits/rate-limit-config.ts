/**
 * Slack's rate limits as the emulator applies them, and how a workspace's limits are changed.
 * "Web API rate limits are per API method per workspace per app; windows are per minute"; tiers are
 * 1+/20+/50+/100+ per minute; posting is "1 message per second per channel" with short bursts
 * allowed, shared by chat.postMessage and incoming webhooks, under a workspace cap of "several
 * hundred messages per minute" [D-RATE][D-POST]. Slack does not publish burst sizes; ours are
 * small so that bursting is visible.
 */
import { ValidationError } from '../../src/errors.ts';

export const Tier = { t1: 1, t2: 2, t3: 3, t4: 4 } as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

export interface RateLimitConfig {
  /** Off turns every limit off for the workspace. */
  enabled: boolean;
  /** Messages per second per channel (chat.postMessage and webhooks share it). */
  channel_per_second: number;
  /** Messages a quiet channel takes at once before the per-second pace applies. */
  channel_burst: number;
  /** Messages per minute across the workspace (every channel, every way of posting). */
  workspace_per_minute: number;
  /** Calls per minute per method for each tier. */
  tiers: Record<`${Tier}`, number>;
  /** Calls per minute for named methods, overriding their tier. */
  methods: Record<string, number>;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  enabled: true,
  channel_per_second: 1,
  channel_burst: 3,
  workspace_per_minute: 300,
  tiers: { 1: 1, 2: 20, 3: 50, 4: 100 },
  methods: {},
};

/**
 * How each method is limited [REF method JSON `rate_limits`, platform sheet §1]. "posting" means
 * the per-channel and workspace message buckets instead of a per-method one. Special limits:
 * oauth.v2.access "600 per minute" [D-OAUTHM]; auth.test is "Special" without a published number,
 * so it gets the same generous 600.
 */
export const METHOD_LIMITS: Record<string, Tier | 'posting' | number> = {
  'chat.postMessage': 'posting',
  'chat.update': 3,
  'chat.delete': 3,
  'chat.postEphemeral': 4,
  'chat.scheduleMessage': 3,
  'chat.deleteScheduledMessage': 3,
  'chat.scheduledMessages.list': 3,
  'chat.getPermalink': 4,
  'conversations.list': 2,
  'conversations.info': 3,
  'conversations.join': 3,
  'conversations.open': 3,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'auth.test': 600,
  'auth.revoke': 3,
  'oauth.v2.access': 600,
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
  'apps.connections.open': 3,
};

/** Calls per minute allowed for a method under a config, or undefined when it is a posting method. */
export function methodPerMinute(config: RateLimitConfig, method: string): number | undefined {
  const override = config.methods[method];
  if (override !== undefined) return override;
  const limit = METHOD_LIMITS[method] ?? 3;
  if (limit === 'posting') return undefined;
  if (limit === 1 || limit === 2 || limit === 3 || limit === 4) return config.tiers[limit];
  return limit;
}

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ValidationError(`${name} must be a positive number`);
  return value;
}

/** Applies a partial change (from the control API) to a config, checking every number. */
export function mergeRateLimitConfig(base: RateLimitConfig, change: Record<string, unknown>): RateLimitConfig {
  const next: RateLimitConfig = { ...base, tiers: { ...base.tiers }, methods: { ...base.methods } };
  for (const [key, value] of Object.entries(change)) {
    switch (key) {
      case 'enabled':
        if (typeof value !== 'boolean') throw new ValidationError('enabled must be true or false');
        next.enabled = value;
        break;
      case 'channel_per_second':
      case 'channel_burst':
      case 'workspace_per_minute':
        next[key] = positive(value, key);
        break;
      case 'tiers':
        for (const [tier, n] of Object.entries((value ?? {}) as Record<string, unknown>)) {
          if (!['1', '2', '3', '4'].includes(tier)) throw new ValidationError(`tiers has no tier ${tier} (1 to 4)`);
          next.tiers[tier as `${Tier}`] = positive(n, `tiers.${tier}`);
        }
        break;
      case 'methods':
        for (const [method, n] of Object.entries((value ?? {}) as Record<string, unknown>)) {
          if (n === null) delete next.methods[method];
          else next.methods[method] = positive(n, `methods.${method}`);
        }
        break;
      default:
        throw new ValidationError(`unknown rate limit setting ${key}`);
    }
  }
  return next;
}
