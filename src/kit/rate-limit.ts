import type { Clock } from '../domain/clock.js';
import { RateLimitedError } from '../domain/errors.js';
import { sleep } from './sleep.js';
import { decide, windowStart, type RateDecision, type RateLimit, type RateLimiter } from '../domain/rate-limit.js';

/** Counts in this process only: right when one process serves everything (SQLite). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: Clock) {
    // Keys of past windows are dropped so memory follows the keys active now, not all keys ever seen.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async take(key: string, limit: RateLimit): Promise<RateDecision> {
    if (limit.max <= 0) return { allowed: true };
    const now = this.clock.now().getTime();
    const start = windowStart(now, limit.windowMs);
    const k = `${limit.windowMs}:${key}`;
    const w = this.windows.get(k);
    const current = w && w.start === start ? w : { start, count: 0 };
    current.count++;
    this.windows.set(k, current);
    return decide(current.count, start, limit, now);
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [k, w] of this.windows) {
      const windowMs = Number(k.slice(0, k.indexOf(':')));
      if (w.start + windowMs <= now) this.windows.delete(k);
    }
  }
}

/** Counts one request; throws RateLimitedError (429 with Retry-After) past the limit. */
export async function enforce(limiter: RateLimiter, key: string, limit: RateLimit, what: string): Promise<void> {
  const d = await limiter.take(key, limit);
  if (!d.allowed && limit.refusalDelayMs) await sleep(Math.min(limit.refusalDelayMs, d.retryAfterMs));
  if (!d.allowed) throw new RateLimitedError(`too many ${what}; retry in ${Math.ceil(d.retryAfterMs / 1000)} s`, d.retryAfterMs);
}
