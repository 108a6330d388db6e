import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { fixtures, uid } from './fixtures.js';
import { decodeEvent } from '../../../src/domain/events.js';

// Typed events for the log's storage tests: the store keeps whatever the domain hands it.
const msg = (id: string) => ({ type: 'message' as const, data: { messageId: id, direction: 'in' as const, author: 'customer' as const } });
const status = (s: 'queued' | 'assigned') => ({
  type: 'status' as const,
  data: { status: s, assigneeId: null, action: 'handoff' as const, by: 'customer' },
});
const delivery = (id: string) => ({ type: 'delivery' as const, data: { messageId: id, status: 'sent' as const } });
const note = (id: string) => ({ type: 'note' as const, data: { messageId: id, agentId: 'a' } });

export function eventsContract(current: () => Store) {
  const f = fixtures(current);

  describe('events', () => {
    it('appends events with increasing sequence numbers, the newest being the maximum', async () => {
      const c = await f.conversation();
      const seqs = await f.tx(async (r) => [await r.events.append(c.id, status('queued'), 10), await r.events.append(null, note('x'), 11)]);
      expect(seqs[1]!).toBeGreaterThan(seqs[0]!);
      const third = await f.tx((r) => r.events.append(c.id, status('assigned'), 12));
      expect(third).toBeGreaterThan(seqs[1]!);
      expect(await f.tx((r) => r.events.maxSeq())).toBe(third);
    });

    it('writes events appended for later in order as the transaction ends, after and between the ones appended at once', async () => {
      const a = await f.conversation();
      const start = await f.tx((r) => r.events.maxSeq());
      await f.tx(async (r) => {
        r.events.appendLater(a.id, msg('later-1'), 30);
        r.events.appendLater(a.id, msg('later-2'), 31);
        await r.events.append(a.id, msg('now-3'), 32);
        r.events.appendLater(null, note('later-4'), 33);
      });
      const all = await f.tx((r) => r.events.after(start, { limit: 100 }));
      expect(all.map((e) => (decodeEvent(e).data as { messageId: string }).messageId)).toEqual(['later-1', 'later-2', 'now-3', 'later-4']);
      expect(all.map((e) => e.createdAt)).toEqual([30, 31, 32, 33]);
      expect(all[1]!.seq).toBeGreaterThan(all[0]!.seq);
      expect(await f.tx((r) => r.events.maxSeq())).toBe(all.at(-1)!.seq);
    });

    it('never shows an event before every lower sequence number is visible, with writers side by side', async () => {
      const start = await f.tx((r) => r.events.maxSeq());
      const seen: number[] = [];
      let cursor = start;
      const readOn = async () => {
        for (const e of await current().read((r) => r.events.after(cursor, { limit: 1000 }))) {
          seen.push(e.seq);
          cursor = e.seq;
        }
      };
      let writing = true;
      const reader = (async () => {
        while (writing) {
          await readOn();
          await new Promise((res) => setTimeout(res, 1));
        }
      })();
      // Each writer holds its transaction open a while after its events: without the appends'
      // turn-taking (PostgreSQL), a later one commits first, the reader moves past, and the earlier is never read.
      const written = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          f.tx(async (r) => {
            r.events.appendLater(null, note(`side-${i}`), 50);
            const seq = await r.events.append(null, note(`side-${i}-now`), 50);
            await new Promise((res) => setTimeout(res, (i * 7) % 15));
            return seq;
          }),
        ),
      );
      writing = false;
      await reader;
      await readOn();
      const all = (await f.tx((r) => r.events.after(start, { limit: 1000 }))).map((e) => e.seq);
      expect(all).toHaveLength(48);
      expect(all).toEqual(expect.arrayContaining(written));
      expect(seen).toEqual(all);
    });

    it('shows events appended for later to reads of the log in the same transaction, and drops them when it rolls back', async () => {
      const a = await f.conversation();
      const start = await f.tx((r) => r.events.maxSeq());
      const seen = await f.tx(async (r) => {
        r.events.appendLater(a.id, msg('inside'), 40);
        return (await r.events.after(start, { limit: 10 })).length;
      });
      expect(seen).toBe(1);
      const mid = await f.tx((r) => r.events.maxSeq());
      await expect(
        f.tx(async (r) => {
          r.events.appendLater(a.id, msg('lost'), 41);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await f.tx((r) => r.events.after(mid, { limit: 10 }))).toEqual([]);
      await expect(current().read(async (r) => r.events.appendLater(a.id, msg('read'), 42))).rejects.toThrow();
    });

    it('reads events after a cursor, for one conversation or all, up to a limit', async () => {
      const a = await f.conversation();
      const b = await f.conversation();
      const start = await f.tx((r) => r.events.maxSeq());
      const [a1, b1, a2] = await f.tx(async (r) => [
        await r.events.append(a.id, msg('1'), 20),
        await r.events.append(b.id, msg('2'), 21),
        await r.events.append(a.id, msg('3'), 22),
      ]);
      const all = await f.tx((r) => r.events.after(start, { limit: 100 }));
      expect(all.map((e) => e.seq)).toEqual([a1, b1, a2]);
      expect(all[0]).toMatchObject({ seq: a1, conversationId: a.id, type: 'message', createdAt: 20 });
      expect(decodeEvent(all[0]!)).toEqual(msg('1'));
      expect((await f.tx((r) => r.events.after(start, { conversationId: a.id, limit: 100 }))).map((e) => e.seq)).toEqual([a1, a2]);
      expect((await f.tx((r) => r.events.after(a1, { conversationId: a.id, limit: 100 }))).map((e) => e.seq)).toEqual([a2]);
      expect((await f.tx((r) => r.events.after(start, { limit: 2 }))).map((e) => e.seq)).toEqual([a1, b1]);
      expect(await f.tx((r) => r.events.after(a2, { limit: 100 }))).toEqual([]);
    });

    it('reads every event created since a time, in order', async () => {
      // Far in the future, so no other test's events fall in the window.
      const t = 9_000_000_000_000 + Math.floor(Math.random() * 1e9);
      const [x, y] = await f.tx(async (r) => [
        await r.events.append(null, note('late-1'), t + 5),
        await r.events.append(null, note('late-2'), t),
      ]);
      await f.tx((r) => r.events.append(null, note('late-0'), t - 1));
      expect((await f.tx((r) => r.events.since(t))).map((e) => e.seq)).toEqual([x, y]);
      expect((await f.tx((r) => r.events.since(t + 1))).map((e) => e.seq)).toEqual([x]);
    });

    it('reads the events of one type created in a window, in order', async () => {
      const t = 8_000_000_000_000 + Math.floor(Math.random() * 1e9);
      const decided = (reason: string) => ({ type: 'ai_agent', data: { decision: 'declined', reason, messageId: null } }) as const;
      const [a, b] = await f.tx(async (r) => {
        await r.events.append(null, note('in-window, other type'), t + 1);
        await r.events.append(null, decided('before'), t - 1);
        await r.events.append(null, decided('at the end'), t + 10);
        return [await r.events.append(null, decided('first'), t), await r.events.append(null, decided('last'), t + 9)];
      });
      expect((await f.tx((r) => r.events.ofType('ai_agent', t, t + 10))).map((e) => e.seq)).toEqual([a, b]);
    });

    it('reads one thread’s events of some types across its conversations', async () => {
      const thread = uid('session');
      const first = await f.conversation({ threadKey: thread, status: 'closed' });
      const second = await f.conversation({ threadKey: thread, customerId: first.customerId });
      const elsewhere = await f.conversation();
      const [m1, , d1, , m2] = await f.tx(async (r) => [
        await r.events.append(first.id, msg('1'), 1),
        await r.events.append(first.id, status('queued'), 2),
        await r.events.append(second.id, delivery('3'), 3),
        await r.events.append(elsewhere.id, msg('4'), 4),
        await r.events.append(second.id, msg('5'), 5),
      ]);
      const read = (seq: number, limit = 100) => f.tx((r) => r.events.forThread('webchat', thread, ['message', 'delivery'], seq, limit));
      expect((await read(0)).map((e) => e.seq)).toEqual([m1, d1, m2]);
      expect((await read(m1)).map((e) => e.seq)).toEqual([d1, m2]);
      expect((await read(0, 1)).map((e) => e.seq)).toEqual([m1]);
      expect(await f.tx((r) => r.events.forThread('telegram', thread, ['message'], 0, 100))).toEqual([]);
    });

    it('feeds every event after a cursor with its conversation as it is now', async () => {
      const held = await f.conversation({ status: 'assigned', assigneeId: uid('agent') });
      const queued = await f.conversation({ status: 'queued' });
      const start = await f.tx((r) => r.events.maxSeq());
      const [h1, q1, n1] = await f.tx(async (r) => [
        await r.events.append(held.id, msg('1'), 30),
        await r.events.append(queued.id, status('queued'), 31),
        await r.events.append(null, note('n'), 32),
      ]);
      const feed = await f.tx((r) => r.events.feed(start, 100));
      expect(feed.map((x) => x.event.seq)).toEqual([h1, q1, n1]);
      expect(feed[0]).toEqual({
        event: expect.objectContaining({ seq: h1, conversationId: held.id, type: 'message', createdAt: 30 }),
        conversation: {
          channel: 'webchat',
          threadKey: held.threadKey,
          status: 'assigned',
          assigneeId: held.assigneeId,
          participantIds: [],
        },
      });
      expect(feed[1]!.conversation).toEqual({
        channel: 'webchat',
        threadKey: queued.threadKey,
        status: 'queued',
        assigneeId: null,
        participantIds: [],
      });
      expect(feed[2]!.conversation).toBeNull();
      expect((await f.tx((r) => r.events.feed(start, 2))).map((x) => x.event.seq)).toEqual([h1, q1]);
      expect(await f.tx((r) => r.events.feed(n1, 100))).toEqual([]);
    });
  });
}
