import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { DraftRow, FaqSuggestionRow } from '../../../src/store/ports.js';
import { decodeEvent } from '../../../src/domain/events.js';
import { DRAFT_DEFAULTS } from './drafts.js';
import { fixtures, uid } from './fixtures.js';

/** The store methods behind export, erasure and retention. */
export function privacyContract(current: () => Store) {
  const f = fixtures(current);

  describe('privacy: reading a customer’s data and blanking it', () => {
    it('lists a customer’s conversations by id, paged after an id', async () => {
      const cus = await f.customer();
      const a = await f.conversation({ customerId: cus.id });
      const b = await f.conversation({ customerId: cus.id });
      await f.conversation();
      const page = (afterId?: string, limit = 10) => f.tx((r) => r.conversations.ofCustomer(cus.id, { afterId, limit }));
      expect(await page()).toEqual([a, b]);
      expect(await page(undefined, 1)).toEqual([a]);
      expect(await page(a.id)).toEqual([b]);
      expect(await page(b.id)).toEqual([]);
    });

    it('names closed, unpurged conversations last changed before a cutoff, oldest first', async () => {
      const far = 8_000_000_000_000 + Math.floor(Math.random() * 1e9);
      const newer = await f.conversation({ status: 'closed', updatedAt: far - 100 });
      const older = await f.conversation({ status: 'closed', updatedAt: far - 200 });
      const open = await f.conversation({ status: 'queued', updatedAt: far - 300 });
      const purged = await f.conversation({ status: 'closed', updatedAt: far - 300, redactedAt: 1 });
      const recent = await f.conversation({ status: 'closed', updatedAt: far + 100 });
      const ids = await f.tx((r) => r.conversations.dueForRetention(far, 100_000));
      const ours = ids.filter((id) => [newer.id, older.id, open.id, purged.id, recent.id].includes(id));
      expect(ours).toEqual([older.id, newer.id]);
      expect(await f.tx((r) => r.conversations.dueForRetention(far, 1))).toHaveLength(1);
    });

    it('updates a customer and an identity', async () => {
      const cus = await f.customer({ displayName: 'Ada', email: 'ada@example.com' });
      const identity = {
        id: uid('idn'),
        customerId: cus.id,
        channel: 'telegram',
        channelUserId: uid('user'),
        displayName: 'Ada',
        username: 'ada',
        createdAt: 1,
      };
      await f.tx((r) => r.customers.insertIdentity(identity));
      await f.tx(async (r) => {
        await r.customers.update(cus.id, { displayName: null, email: null, erasedAt: 7 });
        await r.customers.updateIdentity(identity.id, { displayName: null, username: null, channelUserId: 'erased' });
      });
      expect(await f.tx((r) => r.customers.get(cus.id))).toEqual({ ...cus, displayName: null, email: null, erasedAt: 7 });
      expect(await f.tx((r) => r.customers.identitiesOf(cus.id))).toEqual([
        { ...identity, displayName: null, username: null, channelUserId: 'erased' },
      ]);
    });

    it('blanks message text and meta in batches, and external ids when asked', async () => {
      const c = await f.conversation();
      const other = await f.conversation();
      const ms = [];
      for (let i = 0; i < 3; i++)
        ms.push(await f.message(c, { text: `secret ${i}`, meta: '{"attachments":[{"name":"a.png"}]}', externalId: uid('ext') }));
      const untouched = await f.message(other, { text: 'keep me' });
      expect(await f.tx((r) => r.messages.redact(c.id, { externalIds: false, limit: 2 }))).toBe(2);
      expect(await f.tx((r) => r.messages.redact(c.id, { externalIds: false, limit: 2 }))).toBe(1);
      expect(await f.tx((r) => r.messages.redact(c.id, { externalIds: false, limit: 2 }))).toBe(0);
      const after = await f.tx((r) => r.messages.list(c.id, { includeInternal: true }));
      expect(after.map((m) => [m.text, m.meta, m.externalId])).toEqual(ms.map((m) => ['', null, m.externalId]));
      expect(await f.tx((r) => r.messages.redact(c.id, { externalIds: true, limit: 10 }))).toBe(3);
      const erased = await f.tx((r) => r.messages.list(c.id, { includeInternal: true }));
      expect(erased.map((m) => m.externalId)).toEqual([null, null, null]);
      expect(await f.tx((r) => r.messages.get(untouched.id))).toEqual(untouched);
    });

    it('blanks drafts, outbox payloads (failing pending rows) and FAQ suggestion text of one conversation', async () => {
      const c = await f.conversation();
      const other = await f.conversation();
      const sent = await f.message(c, { direction: 'out', author: 'bot', text: 'hi' });
      const pending = await f.message(c, { direction: 'out', author: 'agent', text: 'your order' });
      const sentRow = await f.outbox(sent, { status: 'sent', sentAt: 2 });
      const pendingRow = await f.outbox(pending);
      const elsewhere = await f.outbox(await f.message(other, { direction: 'out', author: 'bot' }));
      const draft: DraftRow = {
        id: uid('drf'),
        conversationId: c.id,
        messageId: sent.id,
        text: 'draft text',
        kind: 'llm',
        entryIds: '[]',
        model: null,
        createdAt: 1,
        ...DRAFT_DEFAULTS,
      };
      const sug = (status: FaqSuggestionRow['status']): FaqSuggestionRow => ({
        id: uid('sug'),
        conversationId: c.id,
        messageId: null,
        entryId: null,
        newEntry: 1,
        locale: 'en',
        question: 'my address is …',
        answer: 'we ship there',
        source: 'agent',
        createdBy: 'agt',
        status,
        decidedBy: status === 'pending' ? null : 'adm',
        decidedAt: status === 'pending' ? null : 3,
        createdAt: 1,
      });
      const [open, decided] = [sug('pending'), sug('approved')];
      await f.tx(async (r) => {
        await r.drafts.insert(draft);
        await r.faqSuggestions.insert(open);
        await r.faqSuggestions.insert(decided);
      });
      await f.tx(async (r) => {
        expect(await r.drafts.redact(c.id)).toBe(1);
        expect(await r.outbox.redact(c.id, 'erased')).toBe(2);
        expect(await r.faqSuggestions.redact(c.id, 'privacy', 9)).toBe(2);
      });
      expect(await f.tx((r) => r.drafts.list(c.id))).toEqual([{ ...draft, text: '' }]);
      expect(await f.tx((r) => r.outbox.get(sentRow.id))).toEqual({ ...sentRow, payload: '{}' });
      expect(await f.tx((r) => r.outbox.get(pendingRow.id))).toEqual({
        ...pendingRow,
        payload: '{}',
        status: 'failed',
        lastError: 'erased',
      });
      expect(await f.tx((r) => r.outbox.get(elsewhere.id))).toEqual(elsewhere);
      expect(await f.tx((r) => r.faqSuggestions.get(open.id))).toEqual({
        ...open,
        question: '',
        answer: null,
        status: 'rejected',
        decidedBy: 'privacy',
        decidedAt: 9,
      });
      expect(await f.tx((r) => r.faqSuggestions.get(decided.id))).toEqual({ ...decided, question: '', answer: null });
      await f.tx(async (r) => {
        expect(await r.drafts.redact(c.id)).toBe(0);
        expect(await r.outbox.redact(c.id, 'erased')).toBe(0);
        expect(await r.faqSuggestions.redact(c.id, 'privacy', 9)).toBe(0);
      });
    });

    it('rewrites one event’s payload', async () => {
      const c = await f.conversation();
      const seq = await f.tx((r) =>
        r.events.append(c.id, { type: 'faq_picked', data: { entryId: 'returns', locale: 'en', question: 'I am Ada' } }, 5),
      );
      await f.tx((r) => r.events.replaceData(seq, { type: 'faq_picked', data: { entryId: 'returns', locale: 'en', question: '' } }));
      const [row] = await f.tx((r) => r.events.after(seq - 1, { conversationId: c.id, limit: 1 }));
      expect(row && decodeEvent(row)).toEqual({ type: 'faq_picked', data: { entryId: 'returns', locale: 'en', question: '' } });
      expect(row?.createdAt).toBe(5);
    });
  });
}
