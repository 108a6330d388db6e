import { describe, expect, it } from 'vitest';
import { humanRequest } from '../../../src/pipeline/rules/human-request.js';
import { eventsOf, useMemoryStore } from '../../support/memory-store.js';
import { outgoing, ruleContext, NOW } from './context.js';

describe('rule: human request', () => {
  const store = useMemoryStore();

  for (const text of ['human', '人工', '/human', 'Talk to a human!']) {
    it(`"${text}" hands a bot conversation to the queue with a holding reply`, async () => {
      await store.tx(async (r) => {
        const ctx = await ruleContext(r, { text });
        expect(await humanRequest(ctx)).toEqual({ kind: 'queued' });
        expect(await r.conversations.get(ctx.conversation.id)).toMatchObject({ status: 'queued', waitingSince: NOW });
        expect((await eventsOf(r, ctx.conversation.id)).find((e) => e.type === 'status' && e.data.action === 'handoff')?.data).toEqual({
          status: 'queued',
          assigneeId: null,
          action: 'handoff',
          by: 'customer',
        });
        expect(await outgoing(r, ctx.conversation.id)).toHaveLength(1);
      });
    });
  }

  it('passes other messages, and requests in conversations a person already owns', async () => {
    await store.tx(async (r) => {
      expect(await humanRequest(await ruleContext(r, { text: 'How do I return an item?' }))).toBeUndefined();
      const owned = await ruleContext(r, { text: 'human', setup: [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }] });
      expect(await humanRequest(owned)).toBeUndefined();
      expect(await outgoing(r, owned.conversation.id)).toEqual([]);
    });
  });
});
