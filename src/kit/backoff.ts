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
