import { describe, expect, it } from 'vitest';
import { FaqIndex } from '../../src/faq/faq-index.js';
import type { FaqEntry } from '../../src/faq/entry.js';
import { loadFaq } from '../../src/faq/load-faq.js';
import { entryFile, smallKb, writeKb } from './fixtures.js';

const entries: FaqEntry[] = [
  { id: 'returns', locale: 'en', questions: ['How do I return an item?', 'Can I send my order back?'], answer: 'EN returns', tags: [] },
  { id: 'returns', locale: 'zh', questions: ['怎么退货？', '可以把商品寄回去吗？'], answer: 'ZH returns', tags: [] },
  { id: 'hours', locale: 'en', questions: ['What are your opening hours?', 'When are you open?'], answer: 'EN hours', tags: [] },
];

describe('answer locale', () => {
  const faq = new FaqIndex(entries, new Map(), { minConfidence: 0.3 });

  it('answers a Chinese question in Chinese and an English one in English', () => {
    expect(faq.match('我想退货')).toMatchObject({ answered: true, entryId: 'returns', locale: 'zh', answer: 'ZH returns' });
    expect(faq.match('how can I return an item', { locale: 'zh-CN' })).toMatchObject({
      answered: true,
      locale: 'en',
      answer: 'EN returns',
    });
  });

  it('hands off rather than answer in the wrong language', () => {
    const r = faq.match('你们的营业时间是几点到几点？ opening hours');
    expect(r.locale).toBe('zh');
    expect(r.answered).toBe(false);
    expect(r.answer).toBeNull();
  });

  it('hands off a question in a language the FAQ does not have, keeping the candidates for the agent', () => {
    const r = faq.match('How do I return an item?', { locale: 'fr' });
    expect(r).toMatchObject({ answered: false, locale: 'fr', entryId: null });
    expect(r.candidates[0]?.entryId).toBe('returns');
  });
});

describe('confidence', () => {
  it('is in [0, 1], highest for an example question and low for unrelated text', async () => {
    const { matcher } = await loadFaq(writeKb(smallKb));
    const known = matcher.match('How long does shipping take?');
    const unrelated = matcher.match('What is the capital of Mongolia?');
    for (const r of [known, unrelated]) {
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      for (const c of r.candidates) expect(c.score).toBeLessThanOrEqual(r.confidence);
    }
    expect(known).toMatchObject({ answered: true, entryId: 'shipping' });
    expect(unrelated.answered).toBe(false);
    expect(unrelated.confidence).toBeLessThan(known.confidence);
  });

  it('answers nothing for empty or symbol-only text', async () => {
    const { matcher } = await loadFaq(writeKb(smallKb));
    for (const text of ['', '   ', '?!…', '👍']) {
      expect(matcher.match(text)).toMatchObject({ answered: false, entryId: null, confidence: 0, candidates: [] });
    }
  });

  it('carries the tags and team of the best entry', async () => {
    const dir = writeKb({
      ...smallKb,
      'en/human.md': entryFile('human', ['I want to talk to a person'], 'A person will reply.', 'tags: [handoff]\n'),
      'zh/human.md': entryFile('human', ['我要找真人客服'], '客服会回复您。', 'tags: [handoff]\n'),
    });
    const { matcher } = await loadFaq(dir);
    expect(matcher.match('can I talk to a person please').tags).toEqual(['handoff']);
    expect(matcher.match('how do I return this item').team).toBe('billing');
  });
});
