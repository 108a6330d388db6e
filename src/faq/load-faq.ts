/** Builds the matcher from a knowledge-base directory; the errors are `path:line: message` lines. */
import { formatProblem } from './entry.js';
import { FaqIndex, type EngineOptions } from './faq-index.js';
import { loadEntries } from './load-entries.js';

export interface LoadedFaq {
  matcher: FaqIndex;
  /** Empty when the knowledge base is valid; start-up refuses to run otherwise. */
  errors: string[];
}

export async function loadFaq(dir: string, opts: Partial<EngineOptions> = {}): Promise<LoadedFaq> {
  const kb = await loadEntries(dir);
  return { matcher: new FaqIndex(kb.entries, kb.synonyms, opts), errors: kb.problems.map(formatProblem) };
}
