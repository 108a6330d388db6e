import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/kit/sleep.js';

describe('sleep', () => {
  it('waits the time asked', async () => {
    const started = performance.now();
    await sleep(60);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('wakes as soon as the signal aborts, without throwing', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 20);
    await sleep(10_000, controller.signal);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('returns at once when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const started = performance.now();
    await sleep(10_000, controller.signal);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('an unref’d wait still resolves', async () => {
    const started = performance.now();
    const keepAlive = setTimeout(() => undefined, 1_000);
    await sleep(30, undefined, { ref: false });
    clearTimeout(keepAlive);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
