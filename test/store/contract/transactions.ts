import { describe, expect, it } from 'vitest';
import type { Repos, Store } from '../../../src/store/store.js';
import { fixtures, uid } from './fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function transactionsContract(current: () => Store) {
  const f = fixtures(current);

  /**
   * Runs `hold` in a transaction that stays open until released, then `wait` in a second one;
   * returns what happened in which order.
   */
  async function contend(hold: (r: Repos) => Promise<void>, wait: (r: Repos) => Promise<string>): Promise<string[]> {
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const first = current().tx(async (r) => {
      await hold(r);
      held();
      await released;
      order.push('first commits');
    });
    await holding;
    const second = current().tx(async (r) => void order.push(await wait(r)));
    await sleep(150);
    order.push('released');
    release();
    await Promise.all([first, second]);
    return order;
  }

  describe('transactions', () => {
    it('holds a locked conversation until the locking transaction ends, then shows its change', async () => {
      const c = await f.conversation();
      const order = await contend(
        async (r) => {
          await r.conversations.get(c.id, { lock: true });
          await r.conversations.update(c.id, { subject: 'changed by first' });
        },
        async (r) => `second reads ${(await r.conversations.get(c.id, { lock: true }))?.subject}`,
      );
      expect(order).toEqual(['released', 'first commits', 'second reads changed by first']);
    });

    it('holds the newest conversation of a thread read with a lock, then shows its change', async () => {
      const c = await f.conversation();
      const order = await contend(
        async (r) => {
          await r.conversations.latestForThread(c.channel, c.threadKey, { lock: true });
          await r.conversations.update(c.id, { subject: 'changed by first' });
        },
        async (r) => `second reads ${(await r.conversations.latestForThread(c.channel, c.threadKey, { lock: true }))?.subject}`,
      );
      expect(order).toEqual(['released', 'first commits', 'second reads changed by first']);
    });

    it('reads committed data only, without waiting for a transaction in progress', async () => {
      const key = uid('state');
      await current().tx((r) => r.state.set(key, 'committed', 1));
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let written!: () => void;
      const writing = new Promise<void>((r) => (written = r));
      const writer = current().tx(async (r) => {
        await r.state.set(key, 'uncommitted', 2);
        written();
        await released;
      });
      await writing;
      expect(await current().read((r) => r.state.get(key))).toBe('committed');
      release();
      await writer;
      expect(await current().read((r) => r.state.get(key))).toBe('uncommitted');
    });

    it('refuses to append events or outbox rows in a read', async () => {
      await expect(
        current().read((r) => r.events.append(null, { type: 'note', data: { messageId: 'm', agentId: 'a' } }, 1)),
      ).rejects.toThrow();
    });

    it('wakes outbox listeners after a transaction that added outbox rows, and only then', async () => {
      let woken = 0;
      const off = current().onOutbox(() => woken++);
      await current().tx((r) => r.events.append(null, { type: 'note', data: { messageId: 'm', agentId: 'a' } }, 1));
      expect(woken).toBe(0);
      const c = await f.conversation();
      const row = (id: string) => ({
        id,
        messageId: id,
        conversationId: c.id,
        channel: c.channel,
        payload: '{}',
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: 1,
        leaseUntil: null,
        leaseOwner: null,
        lastError: null,
        externalId: null,
        createdAt: 1,
        sentAt: null,
      });
      const message = (id: string) => ({
        id,
        conversationId: c.id,
        channel: c.channel,
        externalId: null,
        direction: 'out' as const,
        author: 'bot' as const,
        agentId: null,
        text: 'hi',
        meta: null,
        createdAt: 1,
      });
      const rolledBack = uid('out');
      await expect(
        current().tx(async (r) => {
          await r.messages.insert(message(rolledBack));
          await r.outbox.insert(row(rolledBack));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(woken).toBe(0);
      const committed = uid('out');
      await current().tx(async (r) => {
        await r.messages.insert(message(committed));
        await r.outbox.insert(row(committed));
      });
      expect(woken).toBe(1);
      off();
    });

    it('serialises transactions that lock the same key', async () => {
      const key = uid('thread');
      const order = await contend(
        (r) => r.lock(key),
        async (r) => {
          await r.lock(key);
          return 'second holds the key';
        },
      );
      expect(order).toEqual(['released', 'first commits', 'second holds the key']);
    });

    it('runs after-commit hooks once the transaction commits, and drops them on rollback', async () => {
      const calls: string[] = [];
      await current().tx(async (r) => {
        r.afterCommit(() => calls.push('committed'));
        expect(calls).toEqual([]);
      });
      expect(calls).toEqual(['committed']);
      await expect(
        current().tx(async (r) => {
          r.afterCommit(() => calls.push('rolled back'));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(calls).toEqual(['committed']);
    });

    it('wakes event listeners after a transaction that appended events, and only then', async () => {
      let woken = 0;
      const off = current().onEvents(() => woken++);
      await current().tx((r) => r.state.set(uid('state'), 'v', 1));
      expect(woken).toBe(0);
      await current().tx((r) => r.events.append(null, { type: 'note', data: { messageId: 'm', agentId: 'a' } }, 1));
      expect(woken).toBe(1);
      await expect(
        current().tx(async (r) => {
          await r.events.append(null, { type: 'note', data: { messageId: 'm', agentId: 'a' } }, 1);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(woken).toBe(1);
      off();
    });
  });
}
