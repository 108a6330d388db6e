import type { Draft, DraftRequest, Drafter } from './drafter.js';

/** More than a few answers is more for the agent to delete than to use. */
const MAX_ANSWERS = 3;

/** The no-LLM fallback: proposes the closest FAQ answers, best first, for the agent to pick from. */
export function createFaqDrafter(): Drafter {
  return {
    async draft(req: DraftRequest): Promise<Draft | null> {
      const best = [...req.sources]
        .filter((s) => s.answer.trim())
        .sort((a, b) => b.score - a.score)
        .filter((s, i, all) => all.findIndex((o) => o.entryId === s.entryId) === i)
        .slice(0, MAX_ANSWERS);
      if (best.length === 0) return null;
      return {
        text: best.map((s) => s.answer.trim()).join('\n\n'),
        kind: 'faq',
        entryIds: best.map((s) => s.entryId),
      };
    },
  };
}
