/**
 * Counting requests per key (an IP, a web-chat session, an agent) in fixed windows. One
 * interface, two homes: in memory where one process serves everything (SQLite), a row per key in
 * the database where several instances must share the count (PostgreSQL).
 */
export interface RateLimit {
  /** Requests allowed per window; 0 turns the limit off. */
  max: number;
  windowMs: number;
  /**
   * A refusal is answered after this long: a client that waits for each answer before sending
   * the next (most scripts, every browser) slows to a crawl instead of spinning on 429s.
   */
  refusalDelayMs?: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  /** Counts one request for `key` and says whether it is within `limit`. */
  take(key: string, limit: RateLimit): Promise<RateDecision>;
  close(): void;
}

/** The window a time falls in; every limiter counts in the same aligned windows. */
export function windowStart(now: number, windowMs: number): number {
  return now - (now % windowMs);
}

/** The decision for the `count`th request of the window starting at `start`. */
export function decide(count: number, start: number, limit: RateLimit, now: number): RateDecision {
  return count <= limit.max ? { allowed: true } : { allowed: false, retryAfterMs: start + limit.windowMs - now };
}
