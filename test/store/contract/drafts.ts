import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { DraftRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

/** The columns a draft row has beyond the first ones, at their defaults (a ready draft, no usage, not judged). */
export const DRAFT_DEFAULTS = {
  status: 'ready',
  statusReason: null,
  sourceIds: '[]',
  ungrounded: 0,
  needsCheck: 0,
  needsCheckReason: null,
  inputTokens: 0,
  outputTokens: 0,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  outcome: null,
  editPermille: null,
  outcomeAgentId: null,
  outcomeAt: null,
} satisfies Partial<DraftRow>;

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
        ...DRAFT_DEFAULTS,
        sourceIds: '["returns","shipping"]',
        needsCheck: 1,
        needsCheckReason: 'order data',
        inputTokens: 120,
        outputTokens: 30,
        cacheWriteTokens: 400,
        cacheReadTokens: 0,
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
        ...DRAFT_DEFAULTS,
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

    it('updates a draft as it ends and is judged, and finds the latest one not judged yet', async () => {
      const c = await f.conversation();
      const m = await f.message(c);
      const row = (id: string, createdAt: number): DraftRow => ({
        id,
        conversationId: c.id,
        messageId: m.id,
        text: '',
        kind: 'llm',
        entryIds: '[]',
        model: 'claude-x',
        createdAt,
        ...DRAFT_DEFAULTS,
        status: 'streaming',
      });
      const first = row(uid('dft'), 10);
      const second = row(uid('dft'), 20);
      await f.tx(async (r) => {
        await r.drafts.insert(first);
        await r.drafts.insert(second);
      });
      expect(await f.tx((r) => r.drafts.latestPending(c.id))).toBeUndefined();
      await f.tx((r) => r.drafts.update(first.id, { status: 'ready', text: 'One', inputTokens: 5 }));
      await f.tx((r) => r.drafts.update(second.id, { status: 'failed', statusReason: 'timeout' }));
      expect((await f.tx((r) => r.drafts.latestPending(c.id)))?.id).toBe(first.id);
      await f.tx((r) => r.drafts.update(first.id, { outcome: 'edited', editPermille: 250, outcomeAgentId: 'agt-1', outcomeAt: 30 }));
      expect(await f.tx((r) => r.drafts.latestPending(c.id))).toBeUndefined();
      expect(await f.tx((r) => r.drafts.get(first.id))).toEqual({
        ...first,
        status: 'ready',
        text: 'One',
        inputTokens: 5,
        outcome: 'edited',
        editPermille: 250,
        outcomeAgentId: 'agt-1',
        outcomeAt: 30,
      });
      expect((await f.tx((r) => r.drafts.get(second.id)))?.statusReason).toBe('timeout');
    });

    it('sums tokens by model since a time, and lists a window of drafts without their text', async () => {
      const c = await f.conversation();
      const m = await f.message(c);
      // Far in the future so drafts of other tests (created near 0) stay out of the sums.
      const base = 9_000_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
      const row = (model: string | null, createdAt: number, tokens: number): DraftRow => ({
        id: uid('dft'),
        conversationId: c.id,
        messageId: m.id,
        text: 'secret text',
        kind: 'llm',
        entryIds: '[]',
        model,
        createdAt,
        ...DRAFT_DEFAULTS,
        inputTokens: tokens,
        outputTokens: tokens * 2,
        cacheWriteTokens: tokens * 3,
        cacheReadTokens: tokens * 4,
      });
      const rows = [row('a', base, 1), row('a', base + 1, 10), row('b', base + 2, 100), row('a', base - 1, 1000)];
      await f.tx(async (r) => {
        for (const x of rows) await r.drafts.insert(x);
      });
      const sums = (await f.tx((r) => r.drafts.usageSince(base))).sort((x, y) => String(x.model).localeCompare(String(y.model)));
      expect(sums).toEqual([
        { model: 'a', inputTokens: 11, outputTokens: 22, cacheWriteTokens: 33, cacheReadTokens: 44 },
        { model: 'b', inputTokens: 100, outputTokens: 200, cacheWriteTokens: 300, cacheReadTokens: 400 },
      ]);
      const listed = await f.tx((r) => r.drafts.reportRows(base, base + 2));
      expect(listed.map((x) => x.inputTokens)).toEqual([1, 10]);
      expect(listed[0]).not.toHaveProperty('text');
    });
  });
}
