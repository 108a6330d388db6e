import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/kit/backoff.js';
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
