import type { Clock } from '../domain/clock.js';
import { decide, windowStart, type RateDecision, type RateLimit, type RateLimiter } from '../domain/rate-limit.js';
import type { Store } from './store.js';

/**
 * Counts in the database, so every instance on one PostgreSQL shares each limit: one atomic
 * counter row per key and window length. Old windows are purged in the background.
 */
export class StoreRateLimiter implements RateLimiter {
  private readonly sweeper: NodeJS.Timeout;
  private longestWindowMs = 60_000;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.sweeper = setInterval(() => {
      const before = this.clock.now().getTime() - this.longestWindowMs;
      void this.store.tx((r) => r.rateLimits.purge(before)).catch(() => undefined);
    }, 60_000);
    this.sweeper.unref();
  }

  async take(key: string, limit: RateLimit): Promise<RateDecision> {
    if (limit.max <= 0) return { allowed: true };
    this.longestWindowMs = Math.max(this.longestWindowMs, limit.windowMs);
    const now = this.clock.now().getTime();
    const start = windowStart(now, limit.windowMs);
    const count = await this.store.tx((r) => r.rateLimits.hit(`${limit.windowMs}:${key}`, start));
    return decide(count, start, limit, now);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
