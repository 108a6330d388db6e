import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../src/kit/keyed-queue.js';

/** A task that records when it starts and ends and finishes only when released. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const task = async () => {
    log.push(`start ${name}`);
    await released;
    log.push(`end ${name}`);
    return name;
  };
  return { task, release };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('KeyedQueue', () => {
  it('runs the tasks of one key one after another, in the order given', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const r1 = queue.run('a', a1.task);
    const r2 = queue.run('a', a2.task);
    await tick();
    expect(log).toEqual(['start a1']);
    a2.release();
    await tick();
    expect(log).toEqual(['start a1']);
    a1.release();
    expect(await Promise.all([r1, r2])).toEqual(['a1', 'a2']);
    expect(log).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
  });

  it('runs different keys concurrently', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const ra = queue.run('a', a.task);
    const rb = queue.run('b', b.task);
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.release();
    expect(await rb).toBe('b');
    expect(log).toEqual(['start a', 'start b', 'end b']);
    a.release();
    await ra;
  });

  it('gives a failure to its caller and still runs what was queued behind it', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('a', () => Promise.reject(new Error('boom')));
    const next = queue.run('a', async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });

  it('idle() waits for every task in hand, including ones queued while waiting', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const a = gate(log, 'a');
    void queue.run('a', async () => {
      await a.task();
      void queue.run('b', async () => void log.push('b queued later'));
    });
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    a.release();
    await waiting;
    expect(log).toEqual(['start a', 'end a', 'b queued later']);
  });
});
