import { beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/domain/channel.js';
import { newId } from '../../../src/domain/ids.js';
import { loadFaq } from '../../../src/faq/load-faq.js';
import type { FaqMatcher } from '../../../src/faq/matcher.js';
import { askBack, PERSON_CHOICE } from '../../../src/pipeline/rules/ask-back.js';
import { faqAnswer } from '../../../src/pipeline/rules/faq-answer.js';
import type { RuleContext } from '../../../src/pipeline/rules/index.js';
import type { Repos } from '../../../src/store/store.js';
import { closeEntriesKb, writeKb } from '../../faq/fixtures.js';
import { eventsOf, useMemoryStore } from '../../support/memory-store.js';
import { ruleContext } from './context.js';

/** The customer's next message in the same conversation, stored as ingest stores it. */
async function next(r: Repos, ctx: RuleContext, text: string, extra: Partial<InboundMessage> = {}): Promise<RuleContext> {
  const now = ctx.now + 1000;
  const message: InboundMessage = { ...ctx.message, externalMessageId: newId(now), text, receivedAt: new Date(now), ...extra };
  await r.messages.insert({
    id: newId(now),
    conversationId: ctx.conversation.id,
    channel: 'webchat',
    externalId: message.externalMessageId,
    direction: 'in',
    author: 'customer',
    agentId: null,
    text,
    meta: null,
    createdAt: now,
  });
  const conversation = (await r.conversations.get(ctx.conversation.id))!;
  return { ...ctx, message, conversation, now, team: undefined };
}

async function lastOut(r: Repos, conversationId: string) {
  const out = (await r.messages.list(conversationId, { includeInternal: false })).filter((m) => m.direction === 'out');
  const m = out.at(-1)!;
  return {
    text: m.text,
    meta: m.meta
      ? (JSON.parse(m.meta) as { choices?: { id: string; label: string }[]; offer?: { question: string; locale: string } })
      : null,
    count: out.length,
  };
}

describe('rule: ask back when unsure', () => {
  const store = useMemoryStore();
  let faq: FaqMatcher;
  beforeAll(async () => (faq = (await loadFaq(writeKb(closeEntriesKb))).matcher));

  it('offers the close entries plus a person, remembering the question, and the bot keeps the conversation', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'gift card', faq });
      expect(await faqAnswer(ctx)).toBeUndefined();
      expect(await askBack(ctx)).toEqual({ kind: 'replied' });
      const offer = await lastOut(r, ctx.conversation.id);
      expect(offer.text).toMatch(/pick one/i);
      expect(offer.meta!.offer).toEqual({ question: 'gift card', locale: 'en' });
      expect(offer.meta!.choices!.map((c) => c.id).sort()).toEqual(['faq:gift-card-balance', 'faq:gift-card-expiry', PERSON_CHOICE].sort());
      expect(offer.meta!.choices!.at(-1)).toEqual({ id: PERSON_CHOICE, label: 'Talk to a person' });
      expect(offer.meta!.choices).toContainEqual({ id: 'faq:gift-card-expiry', label: 'Does my gift card expire?' });
      expect((await r.conversations.get(ctx.conversation.id))!.status).toBe('bot');
    });
  });

  it("offers in the customer's language", async () => {
    await store.tx(async (r) => {
      const ctx = { ...(await ruleContext(r, { text: '礼品卡', faq })), locale: 'zh' as const };
      expect(await askBack(ctx)).toEqual({ kind: 'replied' });
      const offer = await lastOut(r, ctx.conversation.id);
      expect(offer.text).toContain('请选择');
      expect(offer.meta!.choices).toContainEqual({ id: 'faq:gift-card-expiry', label: '礼品卡会过期吗？' });
      expect(offer.meta!.choices!.at(-1)!.label).toBe('转人工客服');
    });
  });

  it('answers a pick at once and records it with the original question', async () => {
    await store.tx(async (r) => {
      const first = await ruleContext(r, { text: 'gift card', faq });
      await askBack(first);
      const pick = await next(r, first, 'Does my gift card expire?', { choiceId: 'faq:gift-card-expiry' });
      expect(await faqAnswer(pick)).toBeUndefined();
      expect(await askBack(pick)).toEqual({ kind: 'replied' });
      expect((await lastOut(r, first.conversation.id)).text).toBe('Gift cards never expire.');
      const picked = (await eventsOf(r, first.conversation.id)).filter((e) => e.type === 'faq_picked');
      expect(picked.map((e) => e.data)).toEqual([{ entryId: 'gift-card-expiry', locale: 'en', question: 'gift card' }]);
      // The pick waits for an admin as an FAQ suggestion.
      const suggestions = await r.faqSuggestions.list({ limit: 10, offset: 0 });
      expect(suggestions.map((x) => [x.source, x.entryId, x.question, x.status])).toEqual([
        ['pick', 'gift-card-expiry', 'gift card', 'pending'],
      ]);
    });
  });

  it('reads a bare digit by email (full-width too) as a pick from the last list', async () => {
    await store.tx(async (r) => {
      const first = await ruleContext(r, { text: 'gift card', faq });
      await askBack(first);
      const { meta } = await lastOut(r, first.conversation.id);
      const second = meta!.choices![1]!.id.replace('faq:', '');
      const pick = await next(r, first, '２', { channel: 'email' });
      expect(await askBack(pick)).toEqual({ kind: 'replied' });
      expect((await lastOut(r, first.conversation.id)).text).toBe(faq.entry(second, 'en')!.answer);
      expect((await eventsOf(r, first.conversation.id)).find((e) => e.type === 'faq_picked')?.data).toMatchObject({ entryId: second });
    });
  });

  it('hands off on "talk to a person" with the holding reply', async () => {
    await store.tx(async (r) => {
      const first = await ruleContext(r, { text: 'gift card', faq });
      await askBack(first);
      const pick = await next(r, first, 'Talk to a person', { choiceId: PERSON_CHOICE });
      expect(await askBack(pick)).toEqual({ kind: 'queued' });
      expect((await r.conversations.get(first.conversation.id))!.status).toBe('queued');
      expect((await lastOut(r, first.conversation.id)).text).toMatch(/person will reply/i);
      expect((await eventsOf(r, first.conversation.id)).some((e) => e.type === 'faq_picked')).toBe(false);
    });
  });

  it('reads text after an offer as a fresh question, and a digit with no list as text', async () => {
    await store.tx(async (r) => {
      const first = await ruleContext(r, { text: 'gift card', faq });
      await askBack(first);
      const fresh = await next(r, first, 'How long does shipping take?');
      expect(await faqAnswer(fresh)).toEqual({ kind: 'replied' });
      const digit = await next(r, fresh, '1', { channel: 'email' });
      expect(await askBack(digit)).toBeUndefined();
      expect((await eventsOf(r, first.conversation.id)).some((e) => e.type === 'faq_picked')).toBe(false);
    });
  });

  it('offers nothing for an out-of-scope question, leaving it to the hand-off', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'My toaster sings opera at night, is that covered?', faq });
      expect(await askBack(ctx)).toBeUndefined();
      expect((await r.messages.list(ctx.conversation.id, { includeInternal: false })).filter((m) => m.direction === 'out')).toEqual([]);
    });
  });

  it('ignores a stale or unknown choice id and reads its text as a question', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'How do I return an item?', faq });
      const stale = { ...ctx, message: { ...ctx.message, choiceId: 'faq:returns' } };
      expect(await askBack(stale)).toEqual({ kind: 'replied' });
      expect((await lastOut(r, ctx.conversation.id)).text).toBe('Returns are free within 30 days.');
      expect((await eventsOf(r, ctx.conversation.id)).some((e) => e.type === 'faq_picked')).toBe(false);
    });
  });

  it('stays out of conversations a person owns', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'gift card', faq, setup: [{ type: 'handoff' }] });
      expect(await askBack(ctx)).toBeUndefined();
    });
  });
});
