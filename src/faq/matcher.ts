/** The port the pipeline asks "does the FAQ know this?". */

export interface FaqCandidate {
  entryId: string;
  score: number;
}

export interface FaqResult {
  /** True only when confidence ≥ the threshold and the entry has an answer in the customer's locale. */
  answered: boolean;
  entryId: string | null;
  /** The locale the question was understood in ('en', 'zh', …) and that `answer` is written in. */
  locale: string;
  answer: string | null;
  /** In [0, 1]. */
  confidence: number;
  /** The team hand-offs on this topic go to, from the entry's front matter. */
  team?: string;
  /** Tags of the best candidate, e.g. `handoff` for an entry that asks for a person. */
  tags?: string[];
  /** Best candidates first (the best included), for agents' drafts when not answered. */
  candidates: FaqCandidate[];
  /**
   * The entries to offer the customer as choices (2–3, closest first, all with an answer in
   * `locale`) when the bot is unsure: not sure enough to answer, but some entry is close.
   * Empty when it answers, and when nothing is close (then it hands off outright). Optional
   * only so matchers written before it still type-check; FaqIndex always sets it.
   */
  suggestions?: string[];
}

export interface FaqEntryView {
  id: string;
  locale: string;
  questions: string[];
  answer: string;
  tags: string[];
  team?: string;
}

export interface FaqMatcher {
  match(text: string, opts?: { locale?: string }): FaqResult;
  /** The entry text in a locale (falls back to any locale), for drafts and the console. */
  entry(id: string, locale?: string): FaqEntryView | undefined;
}
