import { fail, type AckError, type RateLimitPreset } from '@confab/shared';
import type { RedisClientType } from 'redis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/** How many of an action are allowed per window; optionally a burst on top and a block after. */
export interface LimitRule {
  points: number;
  durationSeconds: number;
  /** Extra points available once per `burstDurationSeconds`, for short bursts above the steady rate. */
  burstPoints?: number;
  burstDurationSeconds?: number;
  /** Once the limit is hit, refuse for this long (a back-off for guessing passwords). */
  blockSeconds?: number;
}

export interface RateLimitRules {
  messages: LimitRule;
  typing: LimitRule;
  signInPerUsername: LimitRule;
  signInPerAddress: LimitRule;
  registrationsPerAddress: LimitRule;
  connectionsPerAddress: LimitRule;
  /** People added to rooms by someone else (`room:invite`, `group:open`), per adder: one point per person added. */
  invites: LimitRule;
  /** Channels created, per user: names cannot be taken in bulk. */
  channelCreates: LimitRule;
  /** Reactions added or taken back, per user (edits count as messages). */
  reactions: LimitRule;
  /** Files uploaded (`POST /api/files`), per user; refused ones count too, so probing costs the same. */
  uploads: LimitRule;
  /** Notification settings changed (`notify:set`), per user. */
  settings: LimitRule;
  /** Events on `/admin`, per user (refused ones too: a member probing them spends points). */
  admin: LimitRule;
}

export type LimitName = keyof RateLimitRules;

/** The defaults: generous for people, tight for scripts. Each is configurable (see config.ts). */
export const DEFAULT_RATE_LIMITS: RateLimitRules = {
  messages: { points: 5, durationSeconds: 5, burstPoints: 10, burstDurationSeconds: 30 },
  typing: { points: 10, durationSeconds: 10 },
  signInPerUsername: { points: 5, durationSeconds: 15 * 60, blockSeconds: 15 * 60 },
  signInPerAddress: { points: 30, durationSeconds: 15 * 60, blockSeconds: 15 * 60 },
  registrationsPerAddress: { points: 10, durationSeconds: 60 * 60 },
  connectionsPerAddress: { points: 60, durationSeconds: 60 },
  invites: { points: 30, durationSeconds: 60 },
  channelCreates: { points: 10, durationSeconds: 60 * 60 },
  reactions: { points: 20, durationSeconds: 10 },
  uploads: { points: 30, durationSeconds: 60 },
  settings: { points: 20, durationSeconds: 10 },
  admin: { points: 30, durationSeconds: 10 },
};

/** What each preset multiplies every limit's points by (an admin setting; `standard` is `RATE_LIMITS` as configured). */
export const PRESET_FACTORS: Record<RateLimitPreset, number> = { relaxed: 2, standard: 1, strict: 0.5 };

/** A rule with its points (and burst points) scaled, never below one. */
export function scaleRule(rule: LimitRule, factor: number): LimitRule {
  const scale = (points: number) => Math.max(1, Math.round(points * factor));
  return { ...rule, points: scale(rule.points), ...(rule.burstPoints ? { burstPoints: scale(rule.burstPoints) } : {}) };
}

type Limiter = Pick<RateLimiterAbstract, 'consume' | 'delete'> | BurstyRateLimiter;

/**
 * The server's rate limits, in memory on one instance or in Redis when it runs with Redis, so
 * that the limits hold across instances. While Redis is unreachable each instance falls back
 * to its own memory (an insurance limiter) instead of refusing or waving everything through.
 * `onLimited` hears of each refusal (the metrics count them by limit). `setPreset` scales every
 * limit at once (an admin setting, applied on every instance).
 */
export function createRateLimits(rules: RateLimitRules, redis?: RedisClientType, onLimited?: (name: LimitName) => void) {
  function one(name: string, options: IRateLimiterOptions): RateLimiterAbstract {
    const memory = new RateLimiterMemory(options);
    if (!redis) return memory;
    return new RateLimiterRedis({ ...options, storeClient: redis, useRedisPackage: true, keyPrefix: `confab:rl:${name}`, insuranceLimiter: memory });
  }

  function build(name: LimitName, factor: number): Limiter {
    const rule = scaleRule(rules[name], factor);
    const steady = one(name, { points: rule.points, duration: rule.durationSeconds, blockDuration: rule.blockSeconds ?? 0 });
    if (!rule.burstPoints) return steady;
    const burst = one(`${name}:burst`, { points: rule.burstPoints, duration: rule.burstDurationSeconds ?? rule.durationSeconds });
    return new BurstyRateLimiter(steady as RateLimiterMemory, burst as RateLimiterMemory);
  }

  const buildAll = (factor: number) => Object.fromEntries((Object.keys(rules) as LimitName[]).map((name) => [name, build(name, factor)])) as Record<LimitName, Limiter>;
  let factor = 1;
  let limiters = buildAll(factor);

  /**
   * Rebuilds every limiter with the preset's points. With Redis the counts carry over (they are
   * kept under the same keys; only the threshold changes); in memory a new window starts.
   */
  function setPreset(preset: RateLimitPreset): void {
    if (PRESET_FACTORS[preset] === factor) return;
    factor = PRESET_FACTORS[preset];
    limiters = buildAll(factor);
  }

  /** Takes `points` (one by default) for `key`; null when allowed, else how long to wait. */
  async function take(name: LimitName, key: string, points = 1): Promise<{ retryAfterMs: number } | null> {
    try {
      await limiters[name].consume(key, points);
      return null;
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        onLimited?.(name);
        return { retryAfterMs: Math.max(1, Math.ceil(err.msBeforeNext)) };
      }
      throw err;
    }
  }

  /** As `take`, answered as the `rate_limited` ack a client shows. */
  async function check(name: LimitName, key: string, points = 1): Promise<{ ok: false; error: AckError } | null> {
    const limited = await take(name, key, points);
    if (!limited) return null;
    const seconds = Math.ceil(limited.retryAfterMs / 1000);
    return fail('rate_limited', `Too many requests; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, { retryAfterMs: limited.retryAfterMs });
  }

  /** Forgets a key's count (a successful sign-in clears that username's failures). */
  async function reset(name: LimitName, key: string): Promise<void> {
    const limiter = limiters[name];
    if ('delete' in limiter) await limiter.delete(key);
  }

  return { take, check, reset, setPreset };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
