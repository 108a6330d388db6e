import type { Clock } from '../domain/clock.js';
import { decide, windowStart, type RateDecision, type RateLimit, type RateLimiter } from '../domain/rate-limit.js';
import type { Store } from './store.js';

/**
 * Counts in the database, so every instance on one PostgreSQL shares each limit: one atomic
 * counter row per key and window length. Old windows are purged in the background. A key found
 * over its limit is refused from memory until its window ends, so a flood costs the database one
 * statement per key and window and instance, not one per request.
 */
export class StoreRateLimiter implements RateLimiter {
  private readonly sweeper: NodeJS.Timeout;
  private longestWindowMs = 60_000;
  /** Keys over their limit, with the end of the window they are refused in. */
  private readonly blocked = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.sweeper = setInterval(() => {
      const now = this.clock.now().getTime();
      for (const [k, until] of this.blocked) if (until <= now) this.blocked.delete(k);
      const before = now - this.longestWindowMs;
      void this.store.tx((r) => r.rateLimits.purge(before)).catch(() => undefined);
    }, 60_000);
    this.sweeper.unref();
  }

  async take(key: string, limit: RateLimit): Promise<RateDecision> {
    if (limit.max <= 0) return { allowed: true };
    this.longestWindowMs = Math.max(this.longestWindowMs, limit.windowMs);
    const now = this.clock.now().getTime();
    const k = `${limit.windowMs}:${key}`;
    const until = this.blocked.get(k);
    if (until !== undefined && now < until) return { allowed: false, retryAfterMs: until - now };
    const start = windowStart(now, limit.windowMs);
    const count = await this.store.tx((r) => r.rateLimits.hit(k, start));
    const decision = decide(count, start, limit, now);
    if (decision.allowed) this.blocked.delete(k);
    else this.blocked.set(k, start + limit.windowMs);
    return decision;
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
