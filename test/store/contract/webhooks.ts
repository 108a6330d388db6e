import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { WebhookRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

const note = (id: string) => ({ type: 'note' as const, data: { messageId: id, agentId: 'a' } });
const delivery = (id: string) => ({ type: 'delivery' as const, data: { messageId: id, status: 'sent' as const } });

export function webhooksContract(current: () => Store) {
  const f = fixtures(current);
  const made: string[] = [];
  const hook = async (events: string[], patch: Partial<WebhookRow> = {}): Promise<WebhookRow> => {
    const row: WebhookRow = {
      id: uid('whk'),
      url: `https://hooks.example/${uid('path')}`,
      secret: uid('whsec'),
      createdBy: 'admin-1',
      createdAt: 1_000,
      secretRotatedAt: null,
      ...patch,
    };
    await f.tx((r) => r.webhooks.insert(row, events));
    made.push(row.id);
    return row;
  };
  // Other suites append events too: no webhook of ours may outlive its test and collect theirs.
  afterEach(async () => {
    await f.tx(async (r) => {
      for (const id of made.splice(0)) await r.webhooks.delete(id);
    });
  });

  describe('webhooks', () => {
    it('reads webhooks back with their event types, counts, lists oldest first, rotates and deletes', async () => {
      const before = await f.tx((r) => r.webhooks.count());
      const a = await hook(['status', 'message'], { createdAt: 1 });
      const b = await hook(['*'], { createdAt: 2 });
      expect(await f.tx((r) => r.webhooks.get(a.id))).toEqual({ ...a, events: ['message', 'status'] });
      expect(await f.tx((r) => r.webhooks.get('no-such-hook'))).toBeUndefined();
      expect(await f.tx((r) => r.webhooks.count())).toBe(before + 2);
      const ours = (await f.tx((r) => r.webhooks.list(1000))).filter((w) => w.id === a.id || w.id === b.id);
      expect(ours.map((w) => [w.id, w.events])).toEqual([
        [a.id, ['message', 'status']],
        [b.id, ['*']],
      ]);
      expect(await f.tx((r) => r.webhooks.setSecret(a.id, 'new-secret', 5_000))).toBe(true);
      expect(await f.tx((r) => r.webhooks.setSecret('no-such-hook', 'x', 5_000))).toBe(false);
      expect(await f.tx((r) => r.webhooks.get(a.id))).toMatchObject({ secret: 'new-secret', secretRotatedAt: 5_000 });
      expect(await f.tx((r) => r.webhooks.delete(a.id))).toBe(true);
      expect(await f.tx((r) => r.webhooks.delete(a.id))).toBe(false);
      expect(await f.tx((r) => r.webhooks.get(a.id))).toBeUndefined();
      expect(await f.tx((r) => r.webhooks.count())).toBe(before + 1);
    });

    it('an event append writes one delivery per webhook receiving its type, in the same transaction', async () => {
      const notes = await hook(['note']);
      const all = await hook(['*']);
      const other = await hook(['status']);
      const seq = await f.tx((r) => r.events.append(null, note(uid('m')), 7_000));
      const byHook = async (id: string) => f.tx((r) => r.webhookDeliveries.log(id, { limit: 10 }));
      expect(await byHook(notes.id)).toEqual([
        {
          id: `${notes.id}:${seq}`,
          webhookId: notes.id,
          eventSeq: seq,
          eventType: 'note',
          status: 'pending',
          attempts: 0,
          nextAttemptAt: 7_000,
          leaseUntil: null,
          leaseOwner: null,
          lastStatusCode: null,
          lastError: null,
          createdAt: 7_000,
          deliveredAt: null,
        },
      ]);
      expect((await byHook(all.id)).map((d) => d.eventSeq)).toEqual([seq]);
      expect(await byHook(other.id)).toEqual([]);
      // Rolled back with its event: nothing to deliver.
      await expect(
        f.tx(async (r) => {
          await r.events.append(null, note(uid('m')), 7_001);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await byHook(all.id)).map((d) => d.eventSeq)).toEqual([seq]);
      // A deleted webhook gets nothing more, and its log goes with it.
      await f.tx((r) => r.webhooks.delete(notes.id));
      const next = await f.tx((r) => r.events.append(null, note(uid('m')), 7_002));
      expect(await byHook(notes.id)).toEqual([]);
      expect((await byHook(all.id)).map((d) => d.eventSeq)).toEqual([next, seq]);
    });

    it('leases due deliveries with the webhook and the event, again once the lease expired, and records the outcome', async () => {
      const w = await hook(['note', 'delivery']);
      const messageId = uid('m');
      const [first, second] = await f.tx(async (r) => [
        await r.events.append(null, note(messageId), 10),
        await r.events.append(null, delivery(messageId), 11),
      ]);
      const now = Date.now();
      const ours = <T extends { delivery: { webhookId: string } }>(jobs: T[]) => jobs.filter((j) => j.delivery.webhookId === w.id);
      const leased = ours(await f.tx((r) => r.webhookDeliveries.leaseDue(now, now + 60_000, 1000, 'worker-a')));
      expect(leased.map((j) => j.delivery.eventSeq)).toEqual([first, second]);
      expect(leased[0]).toMatchObject({
        url: w.url,
        secret: w.secret,
        delivery: { leaseUntil: now + 60_000, leaseOwner: 'worker-a', status: 'pending' },
        event: { seq: first, conversationId: null, type: 'note', createdAt: 10 },
      });
      expect(JSON.parse(leased[0]!.event.data)).toEqual(note(messageId).data);
      expect(ours(await f.tx((r) => r.webhookDeliveries.leaseDue(now + 1, now + 60_000, 1000)))).toEqual([]);
      const again = ours(await f.tx((r) => r.webhookDeliveries.leaseDue(now + 60_001, now + 120_000, 1000, 'worker-b')));
      expect(again.map((j) => j.delivery.leaseOwner)).toEqual(['worker-b', 'worker-b']);

      const [one, two] = again.map((j) => j.delivery.id) as [string, string];
      await f.tx((r) =>
        r.webhookDeliveries.update(one, { status: 'delivered', attempts: 1, lastStatusCode: 204, deliveredAt: now, leaseUntil: null }),
      );
      await f.tx((r) =>
        r.webhookDeliveries.update(two, {
          attempts: 1,
          lastStatusCode: 500,
          lastError: 'HTTP 500',
          nextAttemptAt: now + 500_000,
          leaseUntil: null,
        }),
      );
      expect(await f.tx((r) => r.webhookDeliveries.get(one))).toMatchObject({ status: 'delivered', lastStatusCode: 204, deliveredAt: now });
      expect(await f.tx((r) => r.webhookDeliveries.get('no-such-delivery'))).toBeUndefined();
      // Delivered: never again; failed: not before its next attempt.
      expect(ours(await f.tx((r) => r.webhookDeliveries.leaseDue(now + 499_999, now + 600_000, 1000)))).toEqual([]);
      expect(ours(await f.tx((r) => r.webhookDeliveries.leaseDue(now + 500_000, now + 600_000, 1000))).map((j) => j.delivery.id)).toEqual([
        two,
      ]);
    });

    it('never leases one delivery to two workers leasing at once', async () => {
      const w = await hook(['note']);
      await f.tx(async (r) => {
        for (let i = 0; i < 10; i++) await r.events.append(null, note(uid('m')), 1);
      });
      const now = Date.now() + 1000;
      const ours = <T extends { delivery: { webhookId: string; id: string } }>(jobs: T[]) =>
        jobs.filter((j) => j.delivery.webhookId === w.id).map((j) => j.delivery.id);
      const [x, y] = await Promise.all([
        f.tx((r) => r.webhookDeliveries.leaseDue(now, now + 60_000, 1000, 'x')),
        f.tx((r) => r.webhookDeliveries.leaseDue(now, now + 60_000, 1000, 'y')),
      ]);
      expect(ours(x).filter((id) => ours(y).includes(id))).toEqual([]);
      expect(ours(x).length + ours(y).length).toBe(10);
      expect(ours(await f.tx((r) => r.webhookDeliveries.leaseDue(now, now + 60_000, 1000)))).toEqual([]);
    });

    it('prunes finished deliveries made before a time, in batches, and never a pending one', async () => {
      const w = await hook(['note']);
      const seqs = await f.tx(async (r) => {
        const out: number[] = [];
        for (let i = 0; i < 4; i++) out.push(await r.events.append(null, note(uid('m')), 10 + i));
        return out;
      });
      const [old1, old2, oldPending, recent] = seqs.map((seq) => `${w.id}:${seq}`) as [string, string, string, string];
      await f.tx(async (r) => {
        await r.webhookDeliveries.update(old1, { status: 'delivered' });
        await r.webhookDeliveries.update(old2, { status: 'failed' });
        await r.webhookDeliveries.update(recent, { status: 'delivered', createdAt: 10 ** 14 });
      });
      // Only this suite makes webhooks, and each test deletes its own: these are the only rows.
      const left = async () => (await f.tx((r) => r.webhookDeliveries.log(w.id, { limit: 10 }))).map((d) => d.id).sort();
      expect(await f.tx((r) => r.webhookDeliveries.prune(1_000, 1))).toBe(1);
      expect(await left()).toHaveLength(3);
      for (;;) if ((await f.tx((r) => r.webhookDeliveries.prune(1_000, 100))) === 0) break;
      expect(await left()).toEqual([oldPending, recent].sort());
    });

    it('lists owners of live leases and releases a dead owner’s only', async () => {
      const w = await hook(['note']);
      const [a, b] = await f.tx(async (r) => [
        await r.events.append(null, note(uid('m')), 1),
        await r.events.append(null, note(uid('m')), 2),
      ]);
      const dead = `dead-${Math.random()}`;
      const alive = `alive-${Math.random()}`;
      const now = Date.now();
      await f.tx(async (r) => {
        await r.webhookDeliveries.update(`${w.id}:${a}`, { leaseUntil: now + 60_000, leaseOwner: dead });
        await r.webhookDeliveries.update(`${w.id}:${b}`, { leaseUntil: now + 60_000, leaseOwner: alive });
      });
      const owners = await f.tx((r) => r.webhookDeliveries.leaseOwners(now));
      expect(owners.filter((o) => o === dead || o === alive).sort()).toEqual([alive, dead].sort());
      expect((await f.tx((r) => r.webhookDeliveries.leaseOwners(now + 60_001))).filter((o) => o === dead || o === alive)).toEqual([]);
      expect(await f.tx((r) => r.webhookDeliveries.releaseLeases([dead]))).toBe(1);
      expect(await f.tx((r) => r.webhookDeliveries.releaseLeases([]))).toBe(0);
      expect(await f.tx((r) => r.webhookDeliveries.get(`${w.id}:${a}`))).toMatchObject({ leaseUntil: null, leaseOwner: null });
      expect(await f.tx((r) => r.webhookDeliveries.get(`${w.id}:${b}`))).toMatchObject({ leaseOwner: alive });
    });

    it('tells when the next pending delivery is due, and pages the log newest first', async () => {
      const w = await hook(['note']);
      const seqs = await f.tx(async (r) => {
        const out: number[] = [];
        for (let i = 0; i < 5; i++) out.push(await r.events.append(null, note(uid('m')), 100 + i));
        return out;
      });
      const id = `${w.id}:${seqs[0]}`;
      await f.tx((r) => r.webhookDeliveries.update(id, { nextAttemptAt: 1 }));
      expect(await f.tx((r) => r.webhookDeliveries.nextDueAt())).toBe(1);
      await f.tx((r) => r.webhookDeliveries.update(id, { leaseUntil: 2 }));
      expect(await f.tx((r) => r.webhookDeliveries.nextDueAt())).toBe(2);
      await f.tx((r) => r.webhookDeliveries.update(id, { status: 'failed', leaseUntil: null }));
      const next = await f.tx((r) => r.webhookDeliveries.nextDueAt());
      expect(next === undefined || next > 2).toBe(true);

      const page1 = await f.tx((r) => r.webhookDeliveries.log(w.id, { limit: 2 }));
      expect(page1.map((d) => d.eventSeq)).toEqual([seqs[4], seqs[3]]);
      const page2 = await f.tx((r) => r.webhookDeliveries.log(w.id, { limit: 2, beforeSeq: page1.at(-1)!.eventSeq }));
      expect(page2.map((d) => d.eventSeq)).toEqual([seqs[2], seqs[1]]);
      const page3 = await f.tx((r) => r.webhookDeliveries.log(w.id, { limit: 2, beforeSeq: page2.at(-1)!.eventSeq }));
      expect(page3.map((d) => [d.eventSeq, d.status])).toEqual([[seqs[0], 'failed']]);
    });
  });
}
