/**
 * MiniSearch as a FAQ matcher: every example question is a document, the best hit's entry is
 * the answer and its BM25 score the confidence. Its default tokenizer splits on spaces, which
 * leaves a Chinese sentence as one token, so Chinese gets Intl.Segmenter words, as a user would set up.
 */
import MiniSearch from 'minisearch';
import type { System } from './system.js';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

export const minisearch: System = {
  name: 'minisearch 7',
  async build(entries, locale) {
    const docs = [...entries].flatMap(([intent, questions]) => questions.map((text) => ({ text, intent })));
    const search = new MiniSearch<{ id: number; text: string; intent: string }>({
      fields: ['text'],
      storeFields: ['intent'],
      ...(locale === 'zh' && {
        tokenize: (text: string) => [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment),
      }),
      searchOptions: { fuzzy: 0.2, prefix: true },
    });
    search.addAll(docs.map((d, id) => ({ id, ...d })));
    return {
      classify(text) {
        const hit = search.search(text)[0];
        return { intent: (hit?.intent as string | undefined) ?? null, confidence: hit?.score ?? 0 };
      },
    };
  },
};
