/** switchboard's own engine, exactly as the service builds it from a knowledge base. */
import type { FaqEntry } from '../../src/faq/entry.js';
import { FaqIndex, type EngineOptions } from '../../src/faq/faq-index.js';
import type { System } from './system.js';

export function ours(opts: Partial<EngineOptions> = {}, name = 'switchboard'): System {
  return {
    name,
    async build(entries, locale) {
      const faq: FaqEntry[] = [...entries].map(([id, questions]) => ({ id, locale, questions, answer: '', tags: [] }));
      const index = new FaqIndex(faq, new Map(), { calibrate: false, ...opts, minConfidence: 0 });
      return {
        classify(text) {
          const best = index.match(text, { locale }).candidates[0];
          return { intent: best?.entryId ?? null, confidence: best?.score ?? 0 };
        },
      };
    },
  };
}
