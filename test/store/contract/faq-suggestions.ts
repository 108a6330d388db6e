import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { FaqSuggestionRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

export function faqSuggestionsContract(current: () => Store) {
  const f = fixtures(current);

  const suggestion = (conversationId: string, patch: Partial<FaqSuggestionRow> = {}): FaqSuggestionRow => ({
    id: uid('sug'),
    conversationId,
    messageId: null,
    entryId: 'returns',
    newEntry: 0,
    locale: 'en',
    question: 'can I give it back?',
    answer: null,
    source: 'agent',
    createdBy: 'agt-1',
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    createdAt: 5_000,
    ...patch,
  });

  describe('faq suggestions', () => {
    it('stores a suggestion and reads it back by id', async () => {
      const c = await f.conversation();
      const m = await f.message(c);
      const row = suggestion(c.id, {
        messageId: m.id,
        entryId: null,
        newEntry: 1,
        answer: 'We take it back.',
        source: 'pick',
        createdBy: 'customer',
      });
      await f.tx((r) => r.faqSuggestions.insert(row));
      expect(await f.tx((r) => r.faqSuggestions.get(row.id))).toEqual(row);
      expect(await f.tx((r) => r.faqSuggestions.get('no-such-suggestion'))).toBeUndefined();
    });

    it('decides a pending suggestion once, recording who, when and the entry', async () => {
      const c = await f.conversation();
      const row = suggestion(c.id, { entryId: null, newEntry: 1 });
      await f.tx((r) => r.faqSuggestions.insert(row));
      const decision = { status: 'approved' as const, decidedBy: 'adm-1', decidedAt: 9_000, entryId: 'gift-wrap' };
      expect(await f.tx((r) => r.faqSuggestions.decide(row.id, decision))).toBe(true);
      expect(await f.tx((r) => r.faqSuggestions.get(row.id))).toEqual({ ...row, ...decision });
      expect(await f.tx((r) => r.faqSuggestions.decide(row.id, { ...decision, status: 'rejected' }))).toBe(false);
      expect((await f.tx((r) => r.faqSuggestions.get(row.id)))?.status).toBe('approved');
      expect(await f.tx((r) => r.faqSuggestions.decide('no-such-suggestion', decision))).toBe(false);
    });

    it('lists pending suggestions first, each part oldest first, paged by offset', async () => {
      // The contract's store is shared by every test: look only at this test's rows, at times no other test uses.
      const c = await f.conversation();
      const decided = suggestion(c.id, { status: 'rejected', decidedBy: 'adm-1', decidedAt: 2, createdAt: 1 });
      const later = suggestion(c.id, { createdAt: 3 });
      const earlier = suggestion(c.id, { createdAt: 2 });
      await f.tx(async (r) => {
        for (const row of [decided, later, earlier]) await r.faqSuggestions.insert(row);
      });
      const all = await f.tx((r) => r.faqSuggestions.list({ limit: 1000, offset: 0 }));
      const mine = all.filter((s) => s.conversationId === c.id).map((s) => s.id);
      expect(mine).toEqual([earlier.id, later.id, decided.id]);
      const firstPending = all.findIndex((s) => s.status === 'pending');
      const lastPending = all.map((s) => s.status).lastIndexOf('pending');
      expect(all.slice(firstPending, lastPending + 1).every((s) => s.status === 'pending')).toBe(true);
      expect(firstPending).toBe(0);
      const page1 = await f.tx((r) => r.faqSuggestions.list({ limit: 2, offset: 0 }));
      const page2 = await f.tx((r) => r.faqSuggestions.list({ limit: 2, offset: 2 }));
      expect([...page1, ...page2].map((s) => s.id)).toEqual(all.slice(0, 4).map((s) => s.id));
    });
  });
}
