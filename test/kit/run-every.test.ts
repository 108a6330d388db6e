import { describe, expect, it } from 'vitest';
import { runEvery } from '../../src/kit/run-every.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runEvery', () => {
  it('never overlaps a slow run, runs first after firstAfterMs, reports failures and stops', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const errors: unknown[] = [];
    const stop = runEvery(
      async () => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(60);
        active--;
        if (runs === 2) throw new Error('second run fails');
      },
      { everyMs: 10, firstAfterMs: 0, onError: (err) => errors.push(err) },
    );
    await sleep(250);
    stop();
    const after = runs;
    await sleep(100);
    expect(maxActive).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(2);
    // Ticks during a 60 ms run are skipped, not queued: far fewer runs than the 25 ticks.
    expect(runs).toBeLessThan(8);
    expect(errors).toHaveLength(1);
    expect(runs).toBe(after);
  });
});
