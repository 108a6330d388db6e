import type { Draft, DraftRequest, Drafter } from './drafter.js';

/**
 * The no-LLM fallback: proposes one FAQ answer, and only one the FAQ engine itself judges close
 * (the entry it would answer with, or its best choice to offer the customer). Gluing several
 * answers together read as nonsense when none was close ("pasta recipe" got goodbye + greeting +
 * shipping); nothing is better than that, and the agent still has the candidates in the console.
 */
export function createFaqDrafter(): Drafter {
  return {
    kind: 'faq',
    async draft(req: DraftRequest): Promise<Draft | null> {
      for (const id of req.close ?? []) {
        const source = req.sources.find((s) => s.entryId === id && s.answer.trim());
        if (source) return { text: source.answer.trim(), kind: 'faq', entryIds: [source.entryId], ungrounded: false, needsCheck: false };
      }
      return null;
    },
  };
}
