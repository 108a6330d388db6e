import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, enforce } from '../../src/kit/rate-limit.js';
import { RateLimitedError } from '../../src/domain/errors.js';

describe('MemoryRateLimiter', () => {
  it('allows max requests per key and window, then says how long to wait, and starts again in the next window', async () => {
    let now = 120_000 + 15_000;
    const limiter = new MemoryRateLimiter({ now: () => new Date(now) });
    const limit = { max: 3, windowMs: 60_000 };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.take('a', limit));
    expect(decisions.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterMs: 45_000 });
    expect(await limiter.take('b', limit)).toEqual({ allowed: true });
    now += 45_000;
    expect(await limiter.take('a', limit)).toEqual({ allowed: true });
    expect(await limiter.take('x', { max: 0, windowMs: 1 })).toEqual({ allowed: true });
    const err = await enforce(limiter, 'b', { max: 0.5, windowMs: 60_000 }, 'things').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(60_000);
    limiter.close();
  });

  it('answers a refusal only after refusalDelayMs, so a waiting client slows down', async () => {
    const limiter = new MemoryRateLimiter({ now: () => new Date(10_000) });
    const limit = { max: 1, windowMs: 60_000, refusalDelayMs: 150 };
    await enforce(limiter, 'k', limit, 'things');
    const t0 = performance.now();
    await expect(enforce(limiter, 'k', limit, 'things')).rejects.toBeInstanceOf(RateLimitedError);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    limiter.close();
  });
});
