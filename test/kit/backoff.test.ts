import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/kit/backoff.js';

const policy = { initialMs: 100, maxMs: 1_000 };

describe('backoffDelay', () => {
  it('doubles from initialMs per attempt, with the lowest jitter at half and the highest at the full pause', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(policy, a, { random: () => 1 }))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(policy, a, { random: () => 0 }))).toEqual([50, 100, 200, 400]);
    expect(backoffDelay(policy, 3, { random: () => 0.5 })).toBe(300);
  });

  it('never grows beyond maxMs, however many attempts failed', () => {
    expect(backoffDelay(policy, 5, { random: () => 1 })).toBe(1_000);
    expect(backoffDelay(policy, 60, { random: () => 1 })).toBe(1_000);
    expect(backoffDelay(policy, 60, { random: () => 0 })).toBe(500);
  });

  it('treats attempt 0 like the first retry', () => {
    expect(backoffDelay(policy, 0, { random: () => 1 })).toBe(100);
  });

  it('waits at least as long as the platform asked', () => {
    expect(backoffDelay(policy, 1, { retryAfterMs: 5_000, random: () => 1 })).toBe(5_000);
    expect(backoffDelay(policy, 4, { retryAfterMs: 10, random: () => 1 })).toBe(800);
  });

  it('spreads real random pauses over [half, full] rather than one value', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(policy, 3));
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
    expect(new Set(delays).size).toBeGreaterThan(10);
  });
});
