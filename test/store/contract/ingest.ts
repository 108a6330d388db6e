import { describe, expect, it, beforeAll } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { ingest, type PipelineDeps } from '../../../src/pipeline/ingest.js';
import { QueueActions } from '../../../src/queue/actions.js';
import { createAgent } from '../../../src/queue/agents.js';
import { loadFaq } from '../../../src/faq/load-faq.js';
import { systemClock } from '../../../src/domain/clock.js';
import { ConflictError } from '../../../src/domain/errors.js';
import type { InboundMessage } from '../../../src/domain/channel.js';
import { SAMPLE_FAQ } from '../../support/app.js';
import { decodeEvent } from '../../../src/domain/events.js';

/** The store under the pipeline and the queue: concurrency, leasing, cursors and rollback as the application sees them. */
export function ingestContract(current: () => Store) {
  describe('under the pipeline and the queue', () => {
    let store: Store;
    let deps: PipelineDeps;

    beforeAll(async () => {
      store = current();
      const { matcher } = await loadFaq(SAMPLE_FAQ);
      deps = { store, clock: systemClock, faq: () => matcher, reopenWindowMs: 3_600_000 };
    });

    const inbound = (id: string, thread: string, text: string): InboundMessage => ({
      channel: 'webchat',
      externalMessageId: id,
      threadKey: thread,
      sender: { channelUserId: thread },
      text,
      attachments: [],
      receivedAt: new Date(),
    });

    it('stores a message once however often and however concurrently it is delivered', async () => {
      const m = inbound('dup-1', 'thread-dup', 'How do I return an item?');
      const results = await Promise.all(Array.from({ length: 8 }, () => ingest(deps, m)));
      const ids = new Set(results.map((r) => r.messageId));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const messages = await store.tx((r) => r.messages.list(results[0]!.conversationId, { includeInternal: true }));
      expect(messages.filter((x) => x.direction === 'in')).toHaveLength(1);
      expect(messages.filter((x) => x.direction === 'out')).toHaveLength(1);
    });

    it('lets exactly one of two agents claim a queued conversation', async () => {
      const { conversationId } = await ingest(deps, inbound('claim-1', 'thread-claim', 'human'));
      const a = await createAgent(store, systemClock, 'A');
      const b = await createAgent(store, systemClock, 'B');
      const [agentA, agentB] = await store.tx(async (r) => [await r.agents.get(a.id), await r.agents.get(b.id)]);
      const actions = new QueueActions(store, systemClock);
      const outcomes = await Promise.allSettled([actions.claim(agentA!, conversationId), actions.claim(agentB!, conversationId)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ConflictError);
    });

    it('never leases one outbox row to two workers', async () => {
      for (let i = 0; i < 10; i++) await ingest(deps, inbound(`lease-${i}`, `thread-lease-${i}`, 'hello'));
      const now = Date.now() + 1000;
      const [x, y] = await Promise.all([
        store.tx((r) => r.outbox.leaseDue(now, now + 60_000, 50)),
        store.tx((r) => r.outbox.leaseDue(now, now + 60_000, 50)),
      ]);
      const overlap = x.filter((row) => y.some((o) => o.id === row.id));
      expect(overlap).toEqual([]);
      expect(x.length + y.length).toBeGreaterThanOrEqual(10);
      const again = await store.tx((r) => r.outbox.leaseDue(now, now + 60_000, 50));
      expect(again).toEqual([]);
    });

    it('numbers events in increasing order and reads them after a cursor', async () => {
      const note = (n: number) => ({ type: 'note' as const, data: { messageId: `m${n}`, agentId: 'a' } });
      const seqs = await store.tx(async (r) => [await r.events.append(null, note(1), 1), await r.events.append(null, note(2), 2)]);
      expect(seqs[1]!).toBeGreaterThan(seqs[0]!);
      const after = await store.tx((r) => r.events.after(seqs[0]!, { limit: 10 }));
      expect(after.map((e) => decodeEvent(e))).toContainEqual(note(2));
      expect(after.some((e) => e.seq === seqs[0])).toBe(false);
    });

    it('keeps channel state as an upserted key/value', async () => {
      await store.tx((r) => r.state.set('email:uid', '41', 1));
      await store.tx((r) => r.state.set('email:uid', '42', 2));
      expect(await store.tx((r) => r.state.get('email:uid'))).toBe('42');
      expect(await store.tx((r) => r.state.get('missing'))).toBeUndefined();
    });

    it('rolls a failed transaction back completely', async () => {
      await expect(
        store.tx(async (r) => {
          await r.state.set('rollback-key', 'x', 1);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.tx((r) => r.state.get('rollback-key'))).toBeUndefined();
    });
  });
}
