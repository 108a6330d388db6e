import { describe, expect, it } from 'vitest';
import { CoalescedRunner } from '../../src/kit/coalesced-runner.js';

const tick = () => new Promise((r) => setTimeout(r, 10));

function gatedTask() {
  let runs = 0;
  let active = 0;
  let maxActive = 0;
  let release: (() => void) | undefined;
  const task = async () => {
    runs++;
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((r) => (release = r));
    active--;
  };
  return { task, runs: () => runs, maxActive: () => maxActive, release: () => release?.() };
}

describe('CoalescedRunner', () => {
  it('runs at once when idle, and turns any number of requests during a run into exactly one more run', async () => {
    const t = gatedTask();
    const runner = new CoalescedRunner(t.task, { onError: () => undefined });
    runner.request();
    await tick();
    expect(t.runs()).toBe(1);
    runner.request();
    runner.request();
    runner.request();
    await tick();
    expect(t.runs()).toBe(1);
    t.release();
    await tick();
    expect(t.runs()).toBe(2);
    t.release();
    await runner.running;
    expect(t.runs()).toBe(2);
    expect(t.maxActive()).toBe(1);
    expect(runner.running).toBeUndefined();
  });

  it('skips the coalesced rerun when mayRunAgain says no', async () => {
    const t = gatedTask();
    let stopping = false;
    const runner = new CoalescedRunner(t.task, { onError: () => undefined, mayRunAgain: () => !stopping });
    runner.request();
    await tick();
    runner.request();
    stopping = true;
    t.release();
    await runner.running;
    expect(t.runs()).toBe(1);
  });

  it('reports a failed run and keeps serving requests', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const runner = new CoalescedRunner(
      async () => {
        calls++;
        if (calls === 1) throw new Error('connection reset');
      },
      { onError: (e) => errors.push(e) },
    );
    runner.request();
    await runner.running;
    runner.request();
    await runner.running;
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
