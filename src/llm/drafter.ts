/** The port that proposes a reply for an agent. Never blocks the customer; may return null. */

export interface DraftSource {
  entryId: string;
  question: string;
  answer: string;
  score: number;
}

export interface DraftRequest {
  conversationId: string;
  /** Customer's locale as best known ('en', 'zh', …). */
  locale: string;
  /** Recent messages, oldest first. Customer text is data, never instructions. */
  history: { author: 'customer' | 'agent' | 'bot'; text: string }[];
  /** FAQ entries closest to the customer's question. */
  sources: DraftSource[];
  /**
   * The entries the FAQ engine itself judges close enough (the one it would answer with, or the
   * ones it would offer the customer as choices), best first; empty when nothing is close.
   */
  close?: string[];
}

export interface DraftUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens written to the prompt cache (billed above the input price). */
  cacheWriteTokens: number;
  /** Input tokens read from the prompt cache (billed well below the input price). */
  cacheReadTokens: number;
}

export interface Draft {
  text: string;
  /** 'llm' when written by the model, 'faq' for the no-LLM fallback. */
  kind: 'llm' | 'faq';
  /** FAQ entries the draft relies on: for the model, only the ones it cited that were among the sources. */
  entryIds: string[];
  /** True when the draft cites no FAQ entry, so nothing in it is backed by the FAQ. */
  ungrounded: boolean;
  /** The model says a person must check something before this is sent. */
  needsCheck: boolean;
  needsCheckReason?: string;
  model?: string;
  /** Tokens the model read and wrote for this draft, when the API reports them. */
  usage?: DraftUsage;
}

export interface DraftOptions {
  signal?: AbortSignal;
  /** Called with each piece of reply text as the model writes it, in order. */
  onText?: (delta: string) => void;
}

export interface Drafter {
  /** 'llm' spends tokens, so the budget and the circuit breaker apply to it. */
  readonly kind: 'llm' | 'faq';
  /** The model drafts are asked of (for the price table), when there is one. */
  readonly model?: string;
  draft(req: DraftRequest, opts?: DraftOptions): Promise<Draft | null>;
}
