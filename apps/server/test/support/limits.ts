import type { LimitRule, RateLimitRules } from '../../src/limits/rateLimits.js';

const unlimited: LimitRule = { points: 1_000_000, durationSeconds: 1 };

/** Every rate limit named (the config wants all six), unlimited unless overridden. */
export function limits(overrides: Partial<RateLimitRules> = {}): RateLimitRules {
  return {
    messages: unlimited,
    typing: unlimited,
    signInPerUsername: unlimited,
    signInPerAddress: unlimited,
    registrationsPerAddress: unlimited,
    connectionsPerAddress: unlimited,
    ...overrides,
  };
}
