/** How retries of one kind of failure are spaced: doubling from `initialMs`, never beyond `maxMs`. */
export interface Backoff {
  /** Pause before the first retry. */
  initialMs: number;
  /** Longest pause, however many attempts failed. */
  maxMs: number;
}

/**
 * The pause before retry number `attempt` (1 for the first). The doubled pause is spread over
 * [half, full] so that instances or connections which failed together do not retry in step;
 * a platform's own retry-after wins when it is longer.
 */
export function backoffDelay(
  policy: Backoff,
  attempt: number,
  opts: { retryAfterMs?: number | undefined; random?: () => number } = {},
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  const random = opts.random ?? Math.random;
  const jittered = base / 2 + random() * (base / 2);
  return Math.max(opts.retryAfterMs ?? 0, Math.round(jittered));
}

/** When retrying stops: `giveUpAfterMs` after the first attempt was queued, or after `maxAttempts` attempts. */
export interface RetryLimits {
  giveUpAfterMs: number;
  maxAttempts?: number | undefined;
}

/** What follows a failed attempt: give up (and why), or try again at `nextAttemptAt`. */
export type RetryDecision = { giveUp: false; nextAttemptAt: number } | { giveUp: 'permanent' | 'horizon' | 'attempts' };

/**
 * The decision after failed attempt number `attempt` of something queued at `queuedAt`: a
 * permanent failure, the horizon passed or the attempts used up end it; otherwise the next try
 * is spaced by `policy`, and the last one is made at the horizon (or when the other side allows,
 * if later), so a horizon is never overshot by a long pause.
 */
export function afterFailure(
  policy: Backoff,
  limits: RetryLimits,
  f: { attempt: number; queuedAt: number; now: number; retryable: boolean; retryAfterMs?: number | undefined },
): RetryDecision {
  const giveUpAt = f.queuedAt + limits.giveUpAfterMs;
  if (!f.retryable) return { giveUp: 'permanent' };
  if (f.now >= giveUpAt) return { giveUp: 'horizon' };
  if (f.attempt >= (limits.maxAttempts ?? Infinity)) return { giveUp: 'attempts' };
  let nextAttemptAt = f.now + backoffDelay(policy, f.attempt, { retryAfterMs: f.retryAfterMs });
  if (nextAttemptAt > giveUpAt) nextAttemptAt = Math.max(giveUpAt, f.now + (f.retryAfterMs ?? 0));
  return { giveUp: false, nextAttemptAt };
}
