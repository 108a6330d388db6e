import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '../../../src/domain/conversation.js';
import { csatScore } from '../../../src/pipeline/rules/csat-score.js';
import { eventsOf, useMemoryStore } from '../../support/memory-store.js';
import { outgoing, ruleContext, NOW } from './context.js';

const RESOLVED: ConversationEvent[] = [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }, { type: 'resolve' }];

describe('rule: CSAT score', () => {
  const store = useMemoryStore();

  it('records a bare score to a resolved conversation, thanks the customer and closes it', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: '４', setup: RESOLVED });
      expect(await csatScore(ctx)).toEqual({ kind: 'replied' });
      expect(await r.conversations.get(ctx.conversation.id)).toMatchObject({ status: 'closed', csat: 4, updatedAt: NOW });
      expect(ctx.conversation).toMatchObject({ status: 'closed', csat: 4 });
      const events = (await eventsOf(r, ctx.conversation.id)).slice(-3);
      expect(events.map((e) => [e.type, e.data])).toEqual([
        ['csat', { score: 4, assigneeId: 'ann' }],
        ['status', { status: 'closed', assigneeId: 'ann', action: 'close', by: 'customer' }],
        ['message', expect.objectContaining({ direction: 'out', author: 'bot' })],
      ]);
      expect(await outgoing(r, ctx.conversation.id)).toEqual([expect.stringMatching(/thank you for your feedback/i)]);
    });
  });

  it('takes a pressed rating button (csat:N) as the score, whatever its text', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'Great', setup: RESOLVED });
      ctx.message.choiceId = 'csat:5';
      expect(await csatScore(ctx)).toEqual({ kind: 'replied' });
      expect(ctx.conversation).toMatchObject({ status: 'closed', csat: 5 });
      const other = await ruleContext(r, { text: 'Returns', setup: RESOLVED });
      other.message.choiceId = 'faq:returns';
      expect(await csatScore(other)).toBeUndefined();
    });
  });

  it('passes words, scores to conversations that are not resolved, and a second score', async () => {
    await store.tx(async (r) => {
      expect(await csatScore(await ruleContext(r, { text: 'thanks', setup: RESOLVED }))).toBeUndefined();
      expect(await csatScore(await ruleContext(r, { text: '5', setup: [{ type: 'handoff' }] }))).toBeUndefined();
      const rated = await ruleContext(r, { text: '3', setup: RESOLVED });
      rated.conversation = { ...rated.conversation, csat: 5 };
      expect(await csatScore(rated)).toBeUndefined();
    });
  });
});
