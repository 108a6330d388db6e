import { setTimeout as wait } from 'node:timers/promises';

/**
 * Waits `ms`, or less when `signal` aborts: a retry loop that is being stopped wakes at once
 * instead of holding up shutdown. Resolves either way; callers check the signal afterwards.
 * `ref: false` lets the process exit while only this wait is pending.
 */
export async function sleep(ms: number, signal?: AbortSignal, opts: { ref?: boolean } = {}): Promise<void> {
  if (signal?.aborted) return;
  try {
    await wait(ms, undefined, { ref: opts.ref ?? true, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (!signal?.aborted) throw err;
  }
}
