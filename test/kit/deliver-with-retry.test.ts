import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { deliverOnce, deliverWithRetry } from '../../src/kit/deliver-with-retry.js';

/** A deliver that fails `failures` times (the store is down), then stores. */
function flakyStore(failures: number) {
  let calls = 0;
  return {
    calls: () => calls,
    deliver: async () => {
      calls++;
      if (calls <= failures) throw new Error('database is locked');
    },
  };
}

describe('deliverOnce', () => {
  it('says stored, rejected (ValidationError) or failed (anything else)', async () => {
    const rejected: string[] = [];
    const failed: unknown[] = [];
    const reports = { onRejected: (e: ValidationError) => rejected.push(e.message), onFailure: (e: unknown) => failed.push(e) };
    expect(await deliverOnce(async () => undefined, reports)).toBe('stored');
    expect(await deliverOnce(() => Promise.reject(new ValidationError('text too long')), reports)).toBe('rejected');
    expect(await deliverOnce(() => Promise.reject(new Error('store down')), reports)).toBe('failed');
    expect(rejected).toEqual(['text too long']);
    expect(failed).toHaveLength(1);
  });
});

describe('deliverWithRetry', () => {
  it('keeps calling deliver until it is stored, pausing with growing backoff', async () => {
    const store = flakyStore(3);
    const pauses: number[] = [];
    const outcome = await deliverWithRetry(store.deliver, {
      backoff: { initialMs: 10, maxMs: 1_000 },
      random: () => 1,
      onFailure: (_err, _attempt, retryInMs) => pauses.push(retryInMs!),
    });
    expect(outcome).toBe('stored');
    expect(store.calls()).toBe(4);
    expect(pauses).toEqual([10, 20, 40]);
  });

  it('does not retry what the pipeline refused for good', async () => {
    let calls = 0;
    const outcome = await deliverWithRetry(
      async () => {
        calls++;
        throw new ValidationError('not a message');
      },
      { backoff: { initialMs: 10, maxMs: 10 } },
    );
    expect(outcome).toBe('rejected');
    expect(calls).toBe(1);
  });

  it('stops in the middle of a pause when the signal aborts, and reports failed', async () => {
    const store = flakyStore(Infinity);
    const controller = new AbortController();
    const started = performance.now();
    const outcome = deliverWithRetry(store.deliver, {
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      signal: controller.signal,
      onFailure: () => setTimeout(() => controller.abort(), 20),
    });
    expect(await outcome).toBe('failed');
    expect(store.calls()).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('does not call deliver at all once stopped', async () => {
    const store = flakyStore(0);
    const controller = new AbortController();
    controller.abort();
    expect(await deliverWithRetry(store.deliver, { backoff: { initialMs: 10, maxMs: 10 }, signal: controller.signal })).toBe('failed');
    expect(store.calls()).toBe(0);
  });
});
