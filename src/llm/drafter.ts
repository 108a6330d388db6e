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
}

export interface Draft {
  text: string;
  /** 'llm' when written by the model, 'faq' for the no-LLM fallback. */
  kind: 'llm' | 'faq';
  /** FAQ entries the draft used. */
  entryIds: string[];
  model?: string;
  /** Tokens the model read and wrote for this draft, when the API reports them (metrics count them). */
  usage?: { inputTokens: number; outputTokens: number };
}

export interface Drafter {
  draft(req: DraftRequest, signal?: AbortSignal): Promise<Draft | null>;
}
