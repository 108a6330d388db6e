import { describe, expect, it } from 'vitest';
import { afterFailure, backoffDelay } from '../../src/kit/backoff.js';
import { OUTBOX_BACKOFF } from '../../src/outbox/worker.js';

const retryDelayMs = (attempt: number, retryAfterMs: number | undefined, random: () => number) =>
  backoffDelay(OUTBOX_BACKOFF, attempt, { retryAfterMs, random });

describe('retry backoff', () => {
  it('grows exponentially with jitter inside [base/2, base] and is capped', () => {
    expect(retryDelayMs(1, undefined, () => 0)).toBe(250);
    expect(retryDelayMs(1, undefined, () => 1)).toBe(500);
    expect(retryDelayMs(4, undefined, () => 1)).toBe(4000);
    expect(retryDelayMs(50, undefined, () => 1)).toBe(60_000);
  });

  it('never retries earlier than the platform asked', () => {
    expect(retryDelayMs(1, 5000, () => 1)).toBe(5000);
    expect(retryDelayMs(10, 1000, () => 1)).toBe(60_000);
  });
});

describe('after a failed attempt', () => {
  const policy = { initialMs: 1000, maxMs: 60_000 };
  const limits = { giveUpAfterMs: 100_000, maxAttempts: 5 };
  const at = (attempt: number, now: number, extra: { retryable?: boolean; retryAfterMs?: number } = {}) =>
    afterFailure(policy, limits, { attempt, queuedAt: 0, now, retryable: extra.retryable ?? true, retryAfterMs: extra.retryAfterMs });

  it('tries again after the backoff while within the attempts and the horizon', () => {
    const d = at(2, 10_000);
    expect(d.giveUp).toBe(false);
    if (d.giveUp === false) expect(d.nextAttemptAt).toBeGreaterThanOrEqual(11_000);
    if (d.giveUp === false) expect(d.nextAttemptAt).toBeLessThanOrEqual(12_000);
  });

  it('makes the last attempt at the horizon rather than past it, unless the other side asks for later', () => {
    expect(at(4, 99_500)).toEqual({ giveUp: false, nextAttemptAt: 100_000 });
    expect(at(4, 99_500, { retryAfterMs: 5_000 })).toEqual({ giveUp: false, nextAttemptAt: 104_500 });
  });

  it('gives up on a permanent failure, at the horizon, and after the last attempt allowed', () => {
    expect(at(1, 10, { retryable: false })).toEqual({ giveUp: 'permanent' });
    expect(at(1, 100_000)).toEqual({ giveUp: 'horizon' });
    expect(at(5, 50_000)).toEqual({ giveUp: 'attempts' });
  });
});
