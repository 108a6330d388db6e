import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { uid } from './fixtures.js';

export function smallReposContract(current: () => Store) {
  const tx: Store['tx'] = (fn) => current().tx(fn);

  describe('web chat sessions and channel state', () => {
    it('keeps a web chat session’s secret hash', async () => {
      const row = { id: uid('wcs'), secretHash: uid('secret'), createdAt: 3, lastSeenAt: null };
      await tx((r) => r.webchat.insert(row));
      expect(await tx((r) => r.webchat.get(row.id))).toEqual(row);
      expect(await tx((r) => r.webchat.get('no-such-session'))).toBeUndefined();
      await expect(tx((r) => r.webchat.insert({ ...row, secretHash: 'other' }))).rejects.toThrow();
      await tx((r) => r.webchat.touch(row.id, 99));
      expect(await tx((r) => r.webchat.get(row.id))).toEqual({ ...row, lastSeenAt: 99 });
    });

    it('counts requests per key and window, and purges old windows', async () => {
      const a = uid('rl');
      const b = uid('rl');
      const counts = [];
      for (let i = 0; i < 3; i++) counts.push(await tx((r) => r.rateLimits.hit(a, 1000)));
      expect(counts).toEqual([1, 2, 3]);
      expect(await tx((r) => r.rateLimits.hit(b, 1000))).toBe(1);
      // A new window starts again at 1.
      expect(await tx((r) => r.rateLimits.hit(a, 2000))).toBe(1);
      expect(await tx((r) => r.rateLimits.hit(a, 2000))).toBe(2);
      // Concurrent hits on one key are each counted once.
      const concurrent = await Promise.all(Array.from({ length: 8 }, () => tx((r) => r.rateLimits.hit(b, 3000))));
      expect(concurrent.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await tx((r) => r.rateLimits.purge(2500));
      // b's window (3000) survives; a's (2000) is gone, so a counts from 1 in that window again.
      expect(await tx((r) => r.rateLimits.hit(b, 3000))).toBe(9);
      expect(await tx((r) => r.rateLimits.hit(a, 2000))).toBe(1);
    });

    it('keeps model-call reservations: their summed cost since a time, deleted once, purged before a time', async () => {
      // Times of their own, so no other test's rows are summed with these.
      const t = 9_000_000_000_000;
      const a = { id: uid('llmres'), kind: 'draft', cost: 0.0314, createdAt: t };
      const b = { id: uid('llmres'), kind: 'selection', cost: 0.0002, createdAt: t + 10 };
      expect(await tx((r) => r.llmReservations.costSince(t))).toBe(0);
      await tx(async (r) => {
        await r.llmReservations.insert(a);
        await r.llmReservations.insert(b);
      });
      expect(await tx((r) => r.llmReservations.costSince(t))).toBeCloseTo(0.0316, 10);
      expect(await tx((r) => r.llmReservations.costSince(t + 1))).toBeCloseTo(0.0002, 10);
      await expect(tx((r) => r.llmReservations.insert(a))).rejects.toThrow();
      expect(await tx((r) => r.llmReservations.delete(b.id))).toBe(true);
      expect(await tx((r) => r.llmReservations.delete(b.id))).toBe(false);
      expect(await tx((r) => r.llmReservations.costSince(t))).toBeCloseTo(0.0314, 10);
      expect(await tx((r) => r.llmReservations.purge(t + 1))).toEqual([a]);
      expect(await tx((r) => r.llmReservations.costSince(0))).toBe(0);
    });

    it('lists model-call reservations oldest first and deletes them by id, returning what was deleted', async () => {
      const t = 9_100_000_000_000;
      const rows = [
        { id: uid('llmres'), kind: 'ai_agent', cost: 0.5, createdAt: t + 20 },
        { id: uid('llmres'), kind: 'draft', cost: 0.25, createdAt: t },
        { id: uid('llmres'), kind: 'selection', cost: 0.125, createdAt: t + 10 },
      ];
      await tx(async (r) => {
        for (const row of rows) await r.llmReservations.insert(row);
      });
      const mine = (list: { id: string }[]) => list.filter((x) => rows.some((row) => row.id === x.id));
      expect(mine(await tx((r) => r.llmReservations.list()))).toEqual([rows[1], rows[2], rows[0]]);
      expect(await tx((r) => r.llmReservations.deleteIds([]))).toEqual([]);
      const gone = await tx((r) => r.llmReservations.deleteIds([rows[0]!.id, 'no-such-reservation', rows[1]!.id]));
      expect(gone.sort((x, y) => x.createdAt - y.createdAt)).toEqual([rows[1], rows[0]]);
      expect(mine(await tx((r) => r.llmReservations.list()))).toEqual([rows[2]]);
      await tx((r) => r.llmReservations.deleteIds([rows[2]!.id]));
    });

    it('keeps channel state per key', async () => {
      const a = uid('state');
      const b = uid('state');
      await tx(async (r) => {
        await r.state.set(a, 'one', 1);
        await r.state.set(b, 'two', 1);
        await r.state.set(a, 'three', 2);
      });
      expect(await tx((r) => r.state.get(a))).toBe('three');
      expect(await tx((r) => r.state.get(b))).toBe('two');
    });
  });
}
