/**
 * NLP.js (node-nlp): its NLU classifier trained on the example questions. Its own "None"
 * cut-off is bypassed so the threshold is picked on validation like every other system's.
 */
import { NlpManager } from 'node-nlp';
import type { System } from './system.js';

interface NlpResult {
  intent: string;
  score: number;
  classifications?: { intent: string; score: number }[];
}

export const nodeNlp: System = {
  name: 'node-nlp 4',
  async build(entries, locale) {
    const manager = new NlpManager({ languages: [locale], nlu: { log: false }, autoSave: false, autoLoad: false });
    for (const [intent, questions] of entries) for (const q of questions) manager.addDocument(locale, q, intent);
    await manager.train();
    return {
      async classify(text) {
        const r = (await manager.process(locale, text)) as NlpResult;
        const best = r.classifications?.find((c) => c.intent !== 'None');
        if (!best || best.score <= 0) return { intent: best?.intent ?? null, confidence: 0 };
        return { intent: best.intent, confidence: best.score };
      },
    };
  },
};
