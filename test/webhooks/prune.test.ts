import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/domain/clock.js';
import type { Store } from '../../src/store/store.js';
import { pruneDeliveryLog } from '../../src/webhooks/prune.js';
import { memoryStore } from '../support/memory-store.js';

describe('pruning the webhook delivery log', () => {
  let store: Store;
  beforeEach(async () => (store = await memoryStore()));
  afterEach(() => store.close());

  it('deletes finished deliveries older than the window, batch after batch, and keeps pending and recent ones', async () => {
    const day = 86_400_000;
    const now = 100 * day;
    const clock: Clock = { now: () => new Date(now) };
    await store.tx((r) =>
      r.webhooks.insert({ id: 'w1', url: 'https://hooks.example/', secret: 's', createdBy: 'a', createdAt: 0, secretRotatedAt: null }, [
        '*',
      ]),
    );
    // 1,200 old delivered ones (more than one batch), one old pending, one recent delivered.
    const seqs = await store.tx(async (r) => {
      const out: number[] = [];
      for (let i = 0; i < 1_202; i++)
        out.push(await r.events.append(null, { type: 'note', data: { messageId: `m${i}`, agentId: 'a' } }, 0));
      return out;
    });
    await store.tx(async (r) => {
      for (const seq of seqs.slice(0, 1_200)) await r.webhookDeliveries.update(`w1:${seq}`, { status: 'delivered' });
      await r.webhookDeliveries.update(`w1:${seqs[1_201]}`, { status: 'delivered', createdAt: now - day });
    });
    expect(await pruneDeliveryLog(store, clock, 30 * day)).toBe(1_200);
    const left = await store.tx((r) => r.webhookDeliveries.log('w1', { limit: 10 }));
    expect(left.map((d) => [d.eventSeq, d.status])).toEqual([
      [seqs[1_201], 'delivered'],
      [seqs[1_200], 'pending'],
    ]);
  });
});
