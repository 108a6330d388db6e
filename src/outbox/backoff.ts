/** Exponential backoff with full jitter, capped; a platform's own retry-after wins when longer. */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const base = Math.min(60_000, 500 * 2 ** Math.max(0, attempt - 1));
  const jittered = base / 2 + random() * (base / 2);
  return Math.max(retryAfterMs ?? 0, Math.round(jittered));
}
