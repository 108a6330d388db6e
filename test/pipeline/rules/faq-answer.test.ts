import { beforeAll, describe, expect, it } from 'vitest';
import type { FaqMatcher } from '../../../src/faq/matcher.js';
import { faqAnswer } from '../../../src/pipeline/rules/faq-answer.js';
import { useMemoryStore } from '../../support/memory-store.js';
import { outgoing, ruleContext, testFaq } from './context.js';

describe('rule: FAQ answer', () => {
  const store = useMemoryStore();
  let faq: FaqMatcher;
  beforeAll(async () => (faq = await testFaq()));

  it('answers a question the FAQ knows', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'How do I return an item?', faq });
      expect(await faqAnswer(ctx)).toEqual({ kind: 'replied' });
      expect(await outgoing(r, ctx.conversation.id)).toEqual(['Returns are free within 30 days.']);
      expect((await r.conversations.get(ctx.conversation.id))!.status).toBe('bot');
    });
  });

  it('passes an entry that asks for a person, keeping its team for the hand-off', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'Can I speak with someone from support?', faq });
      expect(await faqAnswer(ctx)).toBeUndefined();
      expect(ctx.team).toBe('care');
      expect(await outgoing(r, ctx.conversation.id)).toEqual([]);
    });
  });

  it('passes what it does not know, and conversations a person owns', async () => {
    await store.tx(async (r) => {
      expect(await faqAnswer(await ruleContext(r, { text: 'Can I pay with seashells?', faq }))).toBeUndefined();
      const queued = await ruleContext(r, { text: 'How do I return an item?', faq, setup: [{ type: 'handoff' }] });
      expect(await faqAnswer(queued)).toBeUndefined();
      expect(await outgoing(r, queued.conversation.id)).toEqual([]);
    });
  });
});
