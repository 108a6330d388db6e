import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { DraftRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

export function draftsContract(current: () => Store) {
  const f = fixtures(current);

  describe('drafts', () => {
    it('keeps a conversation’s drafts in order and reads one by id', async () => {
      const c = await f.conversation();
      const m = await f.message(c);
      const llm: DraftRow = {
        id: uid('dft'),
        conversationId: c.id,
        messageId: m.id,
        text: 'Sure, …',
        kind: 'llm',
        entryIds: '["returns"]',
        model: 'claude',
        createdAt: 1,
      };
      const faq: DraftRow = {
        id: uid('dft'),
        conversationId: c.id,
        messageId: m.id,
        text: 'Returns: …',
        kind: 'faq',
        entryIds: '[]',
        model: null,
        createdAt: 2,
      };
      await f.tx(async (r) => {
        await r.drafts.insert(llm);
        await r.drafts.insert(faq);
      });
      expect(await f.tx((r) => r.drafts.list(c.id))).toEqual([llm, faq]);
      expect(await f.tx((r) => r.drafts.get(faq.id))).toEqual(faq);
      expect(await f.tx((r) => r.drafts.get('no-such-draft'))).toBeUndefined();
      const other = await f.conversation();
      expect(await f.tx((r) => r.drafts.list(other.id))).toEqual([]);
    });
  });
}
