import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { fixtures } from './fixtures.js';

export function outboxContract(current: () => Store) {
  const f = fixtures(current);

  describe('outbox', () => {
    it('reads rows back by id and by message, and applies a partial update', async () => {
      const c = await f.conversation();
      const m1 = await f.message(c, { direction: 'out', author: 'bot' });
      const m2 = await f.message(c, { direction: 'out', author: 'bot' });
      const o1 = await f.outbox(m1);
      const o2 = await f.outbox(m2, { nextAttemptAt: 2_000 });
      expect(await f.tx((r) => r.outbox.get(o1.id))).toEqual(o1);
      expect(await f.tx((r) => r.outbox.get('no-such-row'))).toBeUndefined();
      const byMessage = await f.tx((r) => r.outbox.forMessages([m1.id, m2.id, 'no-such-message']));
      expect([...byMessage.entries()].sort()).toEqual(
        [
          [m1.id, o1],
          [m2.id, o2],
        ].sort(),
      );
      expect((await f.tx((r) => r.outbox.forMessages([]))).size).toBe(0);
      const sent = { status: 'sent' as const, attempts: 1, externalId: 'ext-1', sentAt: 1_500, leaseUntil: null, lastError: null };
      await f.tx((r) => r.outbox.update(o1.id, sent));
      expect(await f.tx((r) => r.outbox.get(o1.id))).toEqual({ ...o1, ...sent });
    });

    it('leases only the earliest pending row of each conversation, and a row again once its lease expired', async () => {
      const c = await f.conversation();
      const other = await f.conversation();
      const first = await f.outbox(await f.message(c, { direction: 'out', author: 'bot' }), { nextAttemptAt: 10 });
      const second = await f.outbox(await f.message(c, { direction: 'out', author: 'bot' }), { nextAttemptAt: 10 });
      const later = await f.outbox(await f.message(other, { direction: 'out', author: 'bot' }), { nextAttemptAt: 10 ** 15 });
      const now = Date.now();
      const ours = (rows: { id: string }[]) => rows.map((r) => r.id).filter((id) => [first.id, second.id, later.id].includes(id));

      const leased = await f.tx((r) => r.outbox.leaseDue(now, now + 60_000, 1000));
      expect(ours(leased)).toEqual([first.id]);
      expect(leased.find((r) => r.id === first.id)?.leaseUntil).toBe(now + 60_000);
      // Leased and not yet expired: nobody else gets it; the conversation's next row waits behind it.
      expect(ours(await f.tx((r) => r.outbox.leaseDue(now + 1, now + 60_000, 1000)))).toEqual([]);
      // Its worker crashed: once the lease has passed, the row is due again.
      expect(ours(await f.tx((r) => r.outbox.leaseDue(now + 60_001, now + 120_000, 1000)))).toEqual([first.id]);

      await f.tx((r) => r.outbox.update(first.id, { status: 'sent', leaseUntil: null, sentAt: now }));
      expect(ours(await f.tx((r) => r.outbox.leaseDue(now + 120_001, now + 180_000, 1000)))).toEqual([second.id]);
      // A failed row no longer holds the conversation back.
      await f.tx((r) => r.outbox.update(second.id, { status: 'failed', leaseUntil: null }));
      expect(ours(await f.tx((r) => r.outbox.leaseDue(10 ** 15, 10 ** 15 + 1, 1000)))).toEqual([later.id]);
    });

    it('records the lease owner, lists owners of live leases, and releases a dead owner’s leases only', async () => {
      const c = await f.conversation();
      const d = await f.conversation();
      const e = await f.conversation();
      const dead = `dead-${Math.random()}`;
      const alive = `alive-${Math.random()}`;
      const mine = await f.outbox(await f.message(c, { direction: 'out', author: 'bot' }), { nextAttemptAt: 10 });
      const theirs = await f.outbox(await f.message(d, { direction: 'out', author: 'bot' }), { nextAttemptAt: 10 });
      const sent = await f.outbox(await f.message(e, { direction: 'out', author: 'bot' }), { nextAttemptAt: 10 });
      const now = Date.now();
      await f.tx(async (r) => {
        await r.outbox.update(mine.id, { leaseUntil: now + 60_000, leaseOwner: dead });
        await r.outbox.update(theirs.id, { leaseUntil: now + 60_000, leaseOwner: alive });
        await r.outbox.update(sent.id, { status: 'sent', leaseUntil: now + 60_000, leaseOwner: dead });
      });
      const owners = await f.tx((r) => r.outbox.leaseOwners(now));
      expect(owners.filter((o) => o === dead || o === alive).sort()).toEqual([alive, dead].sort());
      // A lease that has expired no longer counts.
      expect((await f.tx((r) => r.outbox.leaseOwners(now + 60_001))).filter((o) => o === dead || o === alive)).toEqual([]);

      expect(await f.tx((r) => r.outbox.releaseLeases([dead]))).toBe(1);
      expect(await f.tx((r) => r.outbox.releaseLeases([]))).toBe(0);
      expect(await f.tx((r) => r.outbox.get(mine.id))).toMatchObject({ leaseUntil: null, leaseOwner: null, status: 'pending' });
      expect(await f.tx((r) => r.outbox.get(theirs.id))).toMatchObject({ leaseUntil: now + 60_000, leaseOwner: alive });
      expect(await f.tx((r) => r.outbox.get(sent.id))).toMatchObject({ status: 'sent', leaseOwner: dead });
      // Released, the row is due again at once.
      const leased = await f.tx((r) => r.outbox.leaseDue(now + 1, now + 60_000, 1000, 'next-owner'));
      expect(leased.find((r) => r.id === mine.id)?.leaseOwner).toBe('next-owner');
      expect(leased.find((r) => r.id === theirs.id)).toBeUndefined();
    });

    it('tells when the next pending row becomes due, counting a lease as its due time', async () => {
      const c = await f.conversation();
      const row = await f.outbox(await f.message(c, { direction: 'out', author: 'bot' }), { nextAttemptAt: 1 });
      expect(await f.tx((r) => r.outbox.nextDueAt())).toBe(1);
      await f.tx((r) => r.outbox.update(row.id, { leaseUntil: 2 }));
      expect(await f.tx((r) => r.outbox.nextDueAt())).toBe(2);
      await f.tx((r) => r.outbox.update(row.id, { status: 'sent', leaseUntil: null }));
      const next = await f.tx((r) => r.outbox.nextDueAt());
      expect(next === undefined || next > 2).toBe(true);
    });
  });
}
